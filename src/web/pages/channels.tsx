import { Empty } from '../components/states.tsx';

/** Channels page (to be built). */
export default function ChannelsPage() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Channels</h1>
      <Empty title="Coming soon" />
    </section>
  );
}
