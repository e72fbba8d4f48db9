// Every test gets a fresh data dir: nothing a test does may touch the developer's real history.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env['TOKENSCOPE_DATA_DIR'] = mkdtempSync(join(tmpdir(), 'tokenscope-test-'));
