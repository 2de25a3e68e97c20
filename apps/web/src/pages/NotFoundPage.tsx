import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { NoData } from '../components/NoData';

/** Unknown paths inside the app. */
export default function NotFoundPage() {
  return (
    <NoData title="Page not found" description="There is no page at this address.">
      <Anchor component={Link} to="/">Go to the overview</Anchor>
    </NoData>
  );
}
