// Function source shared by the ephemeral storage tests: a `fill(file, mb)` that writes `mb` MiB in
// 8 MiB writes of one buffer (well within a 128 MB function's memory) and reports how far it got.
export const FILL_SOURCE = `
function fill(file, mb) {
  const fs = require('fs');
  const chunk = Buffer.alloc(8 << 20, 1);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    while (written < mb << 20) written += fs.writeSync(fd, chunk, 0, Math.min(chunk.length, (mb << 20) - written));
    return { written };
  } catch (err) {
    return { error: err.code, message: err.message, written };
  } finally {
    fs.closeSync(fd);
  }
}`;
