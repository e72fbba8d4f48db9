/** A request header as a person writes it, "Name: value" (curl's -H): the one reader for the CLI's -H and the UI's header box. */

/** The header's name and value, or null when the line has no name before a colon. */
export function parseHeaderLine(line: string): readonly [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const name = line.slice(0, colon).trim();
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return null;
  return [name, line.slice(colon + 1).trim()];
}
