import { useState } from 'react';
import { useCan } from '../api/data.ts';
import { DataEvents } from '../components/data-events.tsx';
import { DataImports } from '../components/data-imports.tsx';
import { DataQuarantine } from '../components/data-quarantine.tsx';
import { DataSources } from '../components/data-sources.tsx';
import { Empty } from '../components/states.tsx';

/** Data: where events come from (sources, keys, code), what arrives, what was rejected, what was imported. */
export default function DataPage() {
  // One switch for everything that refreshes itself, so "Pause" freezes the page for reading.
  const [live, setLive] = useState(true);
  const canReadData = useCan('data:read');
  const canReadEvents = useCan('people:read');
  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">Data</h1>
      </div>
      <p className="help">
        Connect your sites, apps and backends with a write key and any Segment or RudderStack SDK, watch events arrive, and fix what was rejected.
      </p>
      {canReadData ? <DataSources /> : null}
      {canReadEvents ? <DataEvents live={live} onLiveChange={setLive} /> : null}
      {canReadData ? (
        <>
          <DataQuarantine live={live} />
          <DataImports />
        </>
      ) : null}
      {!canReadData && !canReadEvents ? (
        <Empty title="Your role cannot see data operations">Sources, the event stream, the quarantine and imports need an analyst or admin role.</Empty>
      ) : null}
    </section>
  );
}
