// GET /api/transactions.csv — the whole log as a file, fetched with the staff header and saved by the browser.

import { mutationOptions, useMutation } from '@tanstack/react-query';
import { apiRequest } from '../lib/api-client.ts';

export const TRANSACTIONS_CSV_FILE_NAME = 'transactions.csv';

export async function fetchTransactionsCsv(token: string): Promise<Blob> {
  const response = await apiRequest('/api/transactions.csv', { token, headers: { Accept: 'text/csv' } });
  return response.blob();
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
    mutationFn: async (token: string) => saveBlob(await fetchTransactionsCsv(token), TRANSACTIONS_CSV_FILE_NAME),
    meta: { staffAuth: true },
  });
}

export function useDownloadTransactionsCsv() {
  return useMutation(downloadTransactionsCsvMutationOptions());
}
