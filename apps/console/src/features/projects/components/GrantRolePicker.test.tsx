import { MantineProvider } from '@mantine/core';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { ProjectRoleView } from '@tessera/contracts';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GrantRolePicker } from './GrantRolePicker';

afterEach(cleanup);

const DETAILS = { sequence: '1', changeDate: '2026-01-01T00:00:00Z', resourceOwner: '1' };
const ROLES: ProjectRoleView[] = [
  { key: 'orders.write', displayName: 'Write orders', group: 'orders', details: DETAILS },
  { key: 'reader', displayName: 'Read all', group: '', details: DETAILS },
  { key: 'orders.read', displayName: 'Read orders', group: 'orders', details: DETAILS },
];

function Picker({ initial, onChange }: { initial: string[]; onChange: (keys: string[]) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <MantineProvider>
      <GrantRolePicker
        roles={ROLES}
        value={value}
        onChange={(keys) => {
          setValue(keys);
          onChange(keys);
        }}
      />
    </MantineProvider>
  );
}

describe('GrantRolePicker', () => {
  it('names each box by its key, groups them by group, and starts from the grant as it is', () => {
    render(<Picker initial={['orders.read']} onChange={() => {}} />);
    const orders = screen.getByRole('group', { name: 'orders' });
    expect(
      within(orders)
        .getAllByRole('checkbox')
        .map((c) => c.getAttribute('value')),
    ).toEqual(['orders.read', 'orders.write']);
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'orders.read' }).checked).toBe(true);
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'reader' }).checked).toBe(false);
  });

  it('ticking and unticking hands the new set of keys up', () => {
    const onChange = vi.fn();
    render(<Picker initial={['orders.read']} onChange={onChange} />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'reader' }));
    expect(onChange).toHaveBeenLastCalledWith(['orders.read', 'reader']);
    fireEvent.click(screen.getByRole('checkbox', { name: 'orders.read' }));
    expect(onChange).toHaveBeenLastCalledWith(['reader']);
  });

  it('says how to add roles when the project has none', () => {
    render(
      <MantineProvider>
        <GrantRolePicker roles={[]} value={[]} onChange={() => {}} />
      </MantineProvider>,
    );
    expect(screen.queryByRole('checkbox')).toBeNull();
    expect(screen.getByText(/has no roles yet/)).toBeTruthy();
  });
});
