import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { pageTitle, usePageTitle } from './use-page-title';

afterEach(cleanup);

function Page({ parts }: { parts: (string | undefined)[] }) {
  usePageTitle(...parts);
  return null;
}

describe('usePageTitle', () => {
  it('names the page, most specific first, then Tessera', () => {
    render(<Page parts={['Service Users']} />);
    expect(document.title).toBe('Service Users · Tessera');
  });

  it('adds a name once it is known', () => {
    const { rerender } = render(<Page parts={[undefined, 'Service Users']} />);
    expect(document.title).toBe('Service Users · Tessera');
    rerender(<Page parts={['billing-sync', 'Service Users']} />);
    expect(document.title).toBe('billing-sync · Service Users · Tessera');
  });

  it('is Tessera alone with nothing else to say', () => {
    expect(pageTitle()).toBe('Tessera');
    expect(pageTitle('', ' ')).toBe('Tessera');
  });
});
