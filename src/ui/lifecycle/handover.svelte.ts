/**
 * A certificate (and the password of its .p12) handed from one screen to another (Verify's "Renew"
 * opens Create with it), in memory only: never in browser storage or the URL. Create takes it and
 * empties the slot.
 */
export interface HandedFile {
  name: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** The password that opened the .p12 on Verify: in memory with the bytes, so Create does not ask again. */
  password?: string;
}

export const handover = $state<{ file: HandedFile | null }>({ file: null });

/** Hands the file to Create and opens it (navigation is by hash, src/ui/App.svelte). */
export function renewOnCreate(file: HandedFile): void {
  handover.file = file;
  location.hash = '#create';
}

/** The file handed over, if any; the slot is empty afterwards. */
export function takeHandedFile(): HandedFile | null {
  const file = handover.file;
  handover.file = null;
  return file;
}
