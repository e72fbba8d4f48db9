/** Text cut to a width for a table cell: at most `max` characters, the cut marked with an ellipsis. */
export function cutText(text: string, max: number): string {
  // By code points, so a cut never splits a surrogate pair (an emoji) in two.
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
