import { type ComponentProps, lazy, Suspense } from 'react';

// recharts is the largest dependency: it loads with the first page that shows a chart, not with the app.
const LazyAging = lazy(() => import('./AgingChart').then((m) => ({ default: m.AgingChart })));
const LazyForecast = lazy(() => import('./ForecastChart').then((m) => ({ default: m.ForecastChart })));
const LazyMonthly = lazy(() => import('./MonthlyChart').then((m) => ({ default: m.MonthlyChart })));

export function AgingChart(props: ComponentProps<typeof LazyAging>) {
  return (
    <Suspense fallback={<div style={{ height: props.height ?? 220 }} />}>
      <LazyAging {...props} />
    </Suspense>
  );
}

export function MonthlyChart(props: ComponentProps<typeof LazyMonthly>) {
  return (
    <Suspense fallback={<div style={{ height: props.height ?? 240 }} />}>
      <LazyMonthly {...props} />
    </Suspense>
  );
}

export function ForecastChart(props: ComponentProps<typeof LazyForecast>) {
  return (
    <Suspense fallback={<div style={{ height: props.height ?? 260 }} />}>
      <LazyForecast {...props} />
    </Suspense>
  );
}
