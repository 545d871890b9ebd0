/**
 * The day close's files for the books: builds the CSV (RFC 4180 or Nordic Excel) or the PDF
 * from a report, with its file name and type. Where the file goes is the shell's choice: the
 * app saves it through the system's save dialog, the browser preview hands it to the page as
 * a download (main/ipc/handlers.ts). Nothing is written anywhere else.
 */
import type { DayExportFormat, DayReport } from '../../common/day-close';
import type { Language } from '../../common/domain';
import { dayCsv, exportFileName } from './csv';
import { dayPdf } from './pdf';

export interface ExportFile {
  name: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** Saves a file where the user picks (the system's save dialog); false when cancelled. */
export type SaveFile = (
  file: ExportFile,
) => Promise<{ saved: true; name: string } | { saved: false }>;

export async function dayExportFile(
  report: DayReport,
  format: DayExportFormat,
  language: Language,
): Promise<ExportFile> {
  const name = exportFileName(report, format);
  if (format === 'pdf') {
    return { name, mimeType: 'application/pdf', bytes: await dayPdf(report, language) };
  }
  return {
    name,
    mimeType: 'text/csv;charset=utf-8',
    bytes: dayCsv(report, format === 'csv' ? 'rfc4180' : 'nordic'),
  };
}
