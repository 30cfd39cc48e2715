import { PageNotFound } from '../components/PageState';
import { usePageTitle } from '../lib/use-page-title';

export function NotFound() {
  usePageTitle('Page not found');
  return <PageNotFound title="Page not found" message="There is nothing at this address." back={{ to: '/service-users', label: 'Go to Service Users' }} />;
}
