// Makes a function's extracted code tree appear in a cell's task directory: directories are
// created, files hard-linked (same filesystem under the data directory: no bytes are copied, and
// the files stay as read-only as the originals), symbolic links recreated. Across filesystems
// files are copied instead.
import { copyFile, link, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import * as path from 'node:path';

export async function linkTree(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (e) => {
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      if (e.isDirectory()) {
        await mkdir(dst, { mode: 0o755 });
        await linkTree(src, dst);
      } else if (e.isSymbolicLink()) {
        await symlink(await readlink(src), dst);
      } else if (e.isFile()) {
        try {
          await link(src, dst);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EXDEV' && (err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
          await copyFile(src, dst);
        }
      }
    }),
  );
}
