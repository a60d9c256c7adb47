// GET /api/transactions.csv — the whole log as a file, fetched with the staff header and saved by the browser.

import { mutationOptions, useMutation } from '@tanstack/react-query';
import { apiRequest } from '../lib/api-client.ts';
import { fileNameFromContentDisposition } from '../lib/content-disposition.ts';

/** The name to save under when the answer does not name the file itself. */
export const TRANSACTIONS_CSV_FILE_NAME = 'transactions.csv';

export interface TransactionsCsv {
  /** the bytes exactly as sent (a leading UTF-8 byte-order mark, which Excel needs, included) */
  blob: Blob;
  fileName: string;
}

export async function fetchTransactionsCsv(token: string): Promise<TransactionsCsv> {
  const response = await apiRequest('/api/transactions.csv', { token, headers: { Accept: 'text/csv' } });
  // The server names the file after the time of the export, so successive downloads do not overwrite each other.
  const fileName =
    fileNameFromContentDisposition(response.headers.get('Content-Disposition')) ?? TRANSACTIONS_CSV_FILE_NAME;
  return { blob: await response.blob(), fileName };
}

/** Hands a blob to the browser's download, through a short-lived object URL. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; a later tick is enough.
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function downloadTransactionsCsvMutationOptions() {
  return mutationOptions({
    mutationKey: ['transactions-csv'],
    mutationFn: async (token: string) => {
      const { blob, fileName } = await fetchTransactionsCsv(token);
      saveBlob(blob, fileName);
    },
    meta: { staffAuth: true },
  });
}

export function useDownloadTransactionsCsv() {
  return useMutation(downloadTransactionsCsvMutationOptions());
}
