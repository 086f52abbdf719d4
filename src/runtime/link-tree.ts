// Makes a function's extracted code tree appear in a cell's task directory: directories are
// created, files hard-linked (same filesystem under the data directory: no bytes are copied, and
// the files stay as read-only as the originals), symbolic links recreated. Across filesystems
// files are copied instead. With `merge`, the target may hold another tree already (layers merged
// into one /opt): an entry of the same path is replaced, directories are merged.
import { copyFile, link, lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import * as path from 'node:path';

export interface LinkTreeOptions {
  /** Replace entries that exist already instead of failing (later trees win). */
  merge?: boolean;
}

export async function linkTree(from: string, to: string, options: LinkTreeOptions = {}): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries.map(async (e) => {
      const src = path.join(from, e.name);
      const dst = path.join(to, e.name);
      const existing = options.merge ? await lstat(dst).catch(() => undefined) : undefined;
      if (existing && !(e.isDirectory() && existing.isDirectory())) await rm(dst, { recursive: true, force: true });
      if (e.isDirectory()) {
        if (!existing?.isDirectory()) await mkdir(dst, { mode: 0o755 });
        await linkTree(src, dst, options);
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
