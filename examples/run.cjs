// `npm run example -- <name>`: runs examples/dist/<name>.js, compiled by the script before it.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const name = process.argv[2];
const file = join(__dirname, 'dist', `${name}.js`);
if (!name || !existsSync(file)) {
  console.error('usage: npm run example -- fastify | express | workers');
  process.exit(2);
}
require(file);
