import { Empty } from '../components/states.tsx';

/** People page (to be built). */
export default function PeoplePage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">People</h1>
      <Empty title="Coming soon" />
    </section>
  );
}
