import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth } from '../../lib/dates';
import { formatMoney } from '../../lib/money';

export interface ForecastMonth {
  month: string;
  quota: string;
  closed_won: string;
  commit: string;
  best_case: string;
  expected_cash: string;
}

/** Commit and best-case forecast (cumulative view) against quota, and the expected cash, per month. */
export function ForecastChart({
  months,
  currency,
  height = 260,
}: {
  months: readonly ForecastMonth[];
  currency: string;
  height?: number;
}) {
  const data = months.map((m) => {
    const commit = Number(m.closed_won) + Number(m.commit);
    return {
      month: formatMonth(m.month),
      commit,
      bestCase: commit + Number(m.best_case),
      quota: Number(m.quota),
      cash: Number(m.expected_cash),
    };
  });
  return (
    <div style={{ width: '100%', height }} data-testid="forecast-chart">
      <ResponsiveContainer>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tick={{ fontSize: 11 }} />
          <YAxis
            tick={{ fontSize: 11 }}
            width={64}
            tickFormatter={(v: number) => formatMoney(String(v), currency).replace(/[.,]00(?=\D*$)/, '')}
          />
          <Tooltip formatter={(v) => formatMoney(Number(v).toFixed(2), currency)} />
          <Legend />
          <Bar dataKey="commit" name="Commit forecast" fill="#1c7ed6" isAnimationActive={false} />
          <Bar dataKey="bestCase" name="Best case forecast" fill="#74c0fc" isAnimationActive={false} />
          <Bar dataKey="cash" name="Expected cash" fill="#2f9e44" isAnimationActive={false} />
          <Line dataKey="quota" name="Quota" stroke="#e8590c" strokeWidth={2} dot isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
