import type { Triple } from './strategies/types.ts';

export interface GalleryCase extends Triple {
  id: string;
  name: string;
  /** What the case is about, in one sentence: the setting, not the outcome (that is computed). */
  about: string;
}

/** Short, named conflicts that show where the strategies part ways. */
export const GALLERY: readonly GalleryCase[] = [
  {
    id: 'lost-update',
    name: 'The lost update',
    about: 'Two people fix different lines of the same note.',
    base: 'Trip on Thursday, back by 15:30.\nMeet at the gate at 8:15.\nBring a packed lunch.\n',
    mine: 'Trip on Thursday, back by 16:00.\nMeet at the gate at 8:15.\nBring a packed lunch.\n',
    theirs: 'Trip on Thursday, back by 15:30.\nMeet at the gate at 8:15.\nBring a packed lunch and a raincoat.\n',
  },
  {
    id: 'two-rewrites',
    name: 'Two rewrites of one sentence',
    about: 'Both people reword the same sentence, differently.',
    base: 'The meeting is on Tuesday.\n',
    mine: 'The meeting moves to Wednesday.\n',
    theirs: 'We meet on Thursday instead.\n',
  },
  {
    id: 'move-and-edit',
    name: 'A move and an edit',
    about: 'One person moves a line to the end of the list; the other edits that line where it was.',
    base: '- Buy milk\n- Call Ana\n- Pay rent\n',
    mine: '- Call Ana\n- Pay rent\n- Buy milk\n',
    theirs: '- Buy oat milk\n- Call Ana\n- Pay rent\n',
  },
  {
    id: 'same-insertion',
    name: 'The same insertion on both sides',
    about: 'Both people add the same line at the end.',
    base: 'Apples\nPears\n',
    mine: 'Apples\nPears\nPlums\n',
    theirs: 'Apples\nPears\nPlums\n',
  },
  {
    id: 'interleaving',
    name: 'Interleaving',
    about: 'Both people change the time and the room of the same meeting.',
    base: 'Meet at 10:00 in room 4.\n',
    mine: 'Meet at 11:30 in room 4B.\n',
    theirs: 'Meet at 10:45 in room 5.\n',
  },
  {
    id: 'version-string',
    name: 'A version string',
    about: 'One branch moves to a development version; the other ships a patch release.',
    base: 'version: 3.1.2\n',
    mine: 'version: 3.2.0.dev\n',
    theirs: 'version: 3.1.3\n',
  },
  {
    id: 'deleted-and-edited',
    name: 'An edit of a deleted paragraph',
    about: 'One person deletes a paragraph; the other improves it.',
    base: 'Trip notes.\n\nLunch is at the museum cafe, which has a quiet room for groups of thirty.\n\nBack by four.\n',
    mine: 'Trip notes.\n\nBack by four.\n',
    theirs: 'Trip notes.\n\nLunch is at the museum cafe, which has a quiet back room for groups of forty.\n\nBack by four.\n',
  },
  {
    id: 'same-fix',
    name: 'The same fix on both sides',
    about: 'Both people raise the same minimum version, the same way.',
    base: '"engines": { "node": ">= 4" }\n',
    mine: '"engines": { "node": ">= 18" }\n',
    theirs: '"engines": { "node": ">= 18" }\n',
  },
];
