// Removes the build output so files deleted from src/ or test/ never linger in dist/ and get tested.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
