import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMonth } from '../../lib/dates';
import { formatMoney } from '../../lib/money';

export interface MonthFigures {
  month: string;
  invoiced: string;
  collected: string;
}

/** Invoiced against collected per month for one currency. */
export function MonthlyChart({
  months,
  currency,
  height = 240,
}: {
  months: readonly MonthFigures[];
  currency: string;
  height?: number;
}) {
  const data = months.map((m) => ({
    month: formatMonth(m.month),
    invoiced: Number(m.invoiced),
    collected: Number(m.collected),
    invoicedText: formatMoney(m.invoiced, currency),
    collectedText: formatMoney(m.collected, currency),
  }));
  return (
    <div style={{ width: '100%', height }} data-testid="monthly-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" tick={{ fontSize: 11 }} />
          <YAxis
            tick={{ fontSize: 11 }}
            width={64}
            tickFormatter={(v: number) => formatMoney(String(v), currency).replace(/[.,]00(?=\D*$)/, '')}
          />
          <Tooltip
            formatter={(_v, name, item) => {
              const p = item.payload as { invoicedText: string; collectedText: string };
              return [name === 'Invoiced' ? p.invoicedText : p.collectedText, name];
            }}
          />
          <Legend />
          <Bar dataKey="invoiced" name="Invoiced" fill="#1c7ed6" isAnimationActive={false} />
          <Bar dataKey="collected" name="Collected" fill="#2f9e44" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
