/**
 * The worker thread of the columnar reader (`columnar_reader.ts`,
 * docs/COLUMNAR.md §2.5): runs the whole reading pipeline of one `.kxc` file
 * (read, checksum, structural checks, decode, {@link ColumnarPipeline} with its
 * validator in file order) and posts each block that keeps rows to the main
 * thread, transferring its buffer. It owns at most `buffers` buffers: it
 * allocates them on demand up to that count, then waits until the main thread
 * gives one back. At the end it posts `end`; on an error it posts the error
 * after the blocks before it.
 *
 * Started by `columnarBlockSource` with `node:worker_threads` (whose `unref()`
 * keeps an abandoned reader from holding the process open); it inherits the
 * permissions of the main thread. The thread serves one job (file) after
 * another: when a job has ended, the next source may reuse it
 * (`reader_threads.ts`).
 *
 * @module
 */

import { ColumnarPipeline, type WorkerMessage, type WorkerStart } from "./columnar_reader.ts";
import { postError, serveJobs, type WorkerPort } from "./worker_pipe.ts";

/** Reads one file (one job) and posts its blocks, then `end` or the error. */
async function readFile({ start, take, post }: WorkerPort<WorkerStart, WorkerMessage>) {
  const p = new ColumnarPipeline(start.path, start.name, start.strict, true);
  try {
    for (;;) {
      p.reader.useBuffer(await take());
      if (!(await p.next())) break;
      const r = p.reader;
      const b = p.block;
      const buffer = r.buffer;
      post({
        type: "block",
        buffer,
        n: r.n,
        m: r.m,
        payloadLen: r.payloadLen,
        firstRow: r.firstRow,
        kept: b.length,
        rare: b.rare,
        sync: p.sync(),
      }, [buffer]);
    }
    post({ type: "end", sync: p.sync() });
  } catch (e) {
    post({ type: "error", error: postError(e), sync: p.sync() });
  } finally {
    p.close();
  }
}

serveJobs("columnar_worker.ts", readFile);
