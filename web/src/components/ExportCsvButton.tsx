import { Button } from '@mantine/core';
import { useState } from 'react';
import { downloadFile } from '../api/client';

/** Downloads every row of a list (with the given filters) as CSV, streamed by the API (`?format=csv`). */
export function ExportCsvButton({
  path,
  fileName,
  query = {},
}: {
  path: string;
  fileName: string;
  query?: Record<string, string | undefined>;
}) {
  const [busy, setBusy] = useState(false);
  const params = new URLSearchParams({ format: 'csv' });
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  return (
    <Button
      variant="default"
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          await downloadFile(`/api/v1${path}?${params}`, `${fileName}.csv`);
        } finally {
          setBusy(false);
        }
      }}
    >
      Export CSV
    </Button>
  );
}
