// Loads a Lambda handler file (argv[2]) and calls its export (argv[3]) once with an empty event,
// as Lambda would; prints whether a module was missing, as the last line (a handler may log on stdout before it).
// Any other failure is expected offline.
const [file, exportName] = process.argv.slice(2);

function missingModule(error) {
  return error && (error.code === 'MODULE_NOT_FOUND' || error.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (module|package)/.test(String(error.message)));
}

(async () => {
  try {
    const handler = require(file)[exportName];
    await handler({}, { functionName: 'bundle-load-test', awsRequestId: 'bundle-load-test', getRemainingTimeInMillis: () => 10_000 });
    process.stdout.write(`\n${JSON.stringify({ missing: null })}\n`);
  } catch (error) {
    process.stdout.write(`\n${JSON.stringify({ missing: missingModule(error) ? String(error.message).split('\n')[0] : null })}\n`);
  }
})();
