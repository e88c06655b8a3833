import type { EditorTools } from '../../features/documents/components/EditorPage.tsx';
import { sendRivalSave } from '../../features/simulation/api/rival-save.ts';
import { SCENARIO_USER, ScenarioBar, lineAt } from '../../features/simulation/components/ScenarioBar.tsx';

/** The guided scenarios under the editor, acting on its caret and its draft. */
export default function ScenarioTools({ docId, caret, canRace, race }: EditorTools) {
  return (
    <ScenarioBar
      docId={docId}
      caretLine={() => {
        const { text, offset } = caret();
        return lineAt(text, offset);
      }}
      canRace={canRace}
      // "Two saves race": this tab's save and one by Bob, from the same version, at the same moment.
      onRace={() => race((base) => void sendRivalSave(docId, base, SCENARIO_USER))}
    />
  );
}
