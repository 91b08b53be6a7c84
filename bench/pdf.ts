import { benchPdf } from '../src/documents/pdf-bench';
import { figure, type Workload } from './harness';

/** DESIGN.md: a one-page-style 25-line invoice with logo and QR code vs pdfkit rendering an empty page with the same font. */
export const pdf: Workload = {
  name: 'pdf',
  async run(ctx) {
    const iterations = Math.max(20, Math.round(200 * ctx.scale));
    const { ours, baseline } = await benchPdf(iterations);
    return [
      figure({
        workload: 'pdf',
        ours: Number(ours.toFixed(1)),
        baseline: Number(baseline.toFixed(1)),
        unit: 'PDFs/s',
        goal: '>= 0.3',
      }),
    ];
  },
};
