/**
 * A size for reading, in binary units (what a phone's storage settings show):
 * '512 KB', '1.5 MB', '64 MB', '2.3 GB'. One decimal, dropped when it is 0;
 * never '0 KB' for something that holds a byte.
 */
export function formatBytes(bytes: number): string {
  const one = (n: number) => n.toFixed(1).replace(/\.0$/u, '');
  if (bytes >= 1024 ** 3) return `${one(bytes / 1024 ** 3)} GB`;
  if (bytes >= 1024 ** 2) return `${one(bytes / 1024 ** 2)} MB`;
  return `${bytes <= 0 ? 0 : Math.max(1, Math.round(bytes / 1024))} KB`;
}
