import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';

type Instance = ReturnType<(typeof import('echarts/core'))['init']>;

/** Data points an option draws (all series; Sankey counts links), exposed for tests as data-points. */
export function countPoints(option: EChartsCoreOption): number {
  const series = (option as { series?: unknown }).series;
  const list = Array.isArray(series) ? series : series ? [series] : [];
  let n = 0;
  for (const s of list as { data?: unknown[]; links?: unknown[]; type?: string }[]) {
    n += s.type === 'sankey' ? (s.links?.length ?? 0) : (s.data?.length ?? 0);
  }
  return n;
}

export interface ChartProps {
  /** Stable name for tests and screenshots (data-chart). */
  readonly name: string;
  /** What the chart shows, for screen readers. */
  readonly label: string;
  readonly option: EChartsCoreOption;
  readonly height?: number;
  /** Called with the clicked item's params (e.g. a funnel step or a bar). */
  readonly onClick?: (params: { name: string; seriesName?: string; dataIndex: number; value: unknown }) => void;
}

/**
 * An ECharts chart that fills its container's width, resizes with it, and loads ECharts on first
 * use. `data-points` says how many data points it drew (0 while loading).
 */
export function Chart({ name, label, option, height = 320, onClick }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<Instance | null>(null);
  const [ready, setReady] = useState(false);
  const [drawn, setDrawn] = useState(0);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    void import('../charts/echarts.ts').then(({ echarts }) => {
      if (disposed || !el.current) return;
      const instance = echarts.init(el.current, undefined, { renderer: 'canvas' });
      chart.current = instance;
      instance.on('click', (p) => clickRef.current?.(p as never));
      observer = new ResizeObserver(() => instance.resize());
      observer.observe(el.current);
      setReady(true);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!ready || !chart.current) return;
    chart.current.setOption({ animationDuration: 300, textStyle: { fontFamily: 'inherit' }, ...option }, { notMerge: true });
    setDrawn(countPoints(option));
  }, [option, ready]);

  return (
    <div
      ref={el}
      className="chart"
      role="img"
      aria-label={label}
      data-chart={name}
      data-points={drawn}
      style={{ height }}
    />
  );
}
