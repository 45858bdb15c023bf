/** `npm run config:doc`: prints the configuration table for README.md. */
import { configTable } from './doc.js';

process.stdout.write(`${configTable()}\n`);
