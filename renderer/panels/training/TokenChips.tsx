/** Makes spaces and line breaks visible inside a token. */
export const showPiece = (piece: string): string =>
  piece.replace(/ /g, '␣').replace(/\n/g, '↵').replace(/\t/g, '⇥') || '∅';

/** A translucent hue per id reads on both themes. */
const chipStyle = (id: number) => {
  const hue = (id * 47) % 360;
  return { background: `hsl(${hue} 70% 50% / 0.2)`, borderColor: `hsl(${hue} 60% 45% / 0.55)` };
};

/** Tokens as chips, each coloured by its id, so the same token always looks the same. */
export function TokenChips({ pieces, ids }: { pieces: readonly string[]; ids: readonly number[] }) {
  return (
    <span className="token-chips">
      {pieces.map((p, i) => (
        <span
          key={i}
          className="token-chip"
          style={chipStyle(ids[i] ?? i)}
          title={`id ${ids[i]}`}
          data-testid="token-chip"
        >
          {showPiece(p)}
        </span>
      ))}
    </span>
  );
}
