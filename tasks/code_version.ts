/**
 * The code version stored with every run: the git commit of the checkout (with
 * "+dirty" never guessed: only what .git says), or "unknown" outside a checkout.
 *
 * @module
 */

/** Read the commit the project's .git HEAD points at, without running git. */
export async function codeVersion(root = new URL("..", import.meta.url)): Promise<string> {
  try {
    const head = (await Deno.readTextFile(new URL(".git/HEAD", root))).trim();
    if (!head.startsWith("ref: ")) return head;
    const ref = head.slice(5);
    try {
      return (await Deno.readTextFile(new URL(`.git/${ref}`, root))).trim();
    } catch {
      const packed = await Deno.readTextFile(new URL(".git/packed-refs", root));
      for (const line of packed.split("\n")) {
        const [sha, name] = line.split(" ");
        if (name === ref) return sha;
      }
      return "unknown";
    }
  } catch {
    return "unknown";
  }
}
