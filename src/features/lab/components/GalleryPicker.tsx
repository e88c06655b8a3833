import { GALLERY, type GalleryCase } from '../gallery.ts';

/** The named cases, one button each; the chosen one is pressed. */
export function GalleryPicker({ chosen, onChoose }: { chosen: string | null; onChoose: (galleryCase: GalleryCase) => void }) {
  return (
    <nav aria-labelledby="lab-gallery-heading" className="lab-gallery">
      <h2 id="lab-gallery-heading">Gallery</h2>
      <ul>
        {GALLERY.map((galleryCase) => (
          <li key={galleryCase.id}>
            <button type="button" className="button-quiet" aria-pressed={chosen === galleryCase.id} onClick={() => onChoose(galleryCase)}>
              {galleryCase.name}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
