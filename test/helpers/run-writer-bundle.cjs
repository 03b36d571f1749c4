// Runs a bundled directory writer (argv[2]) once, as Lambda would, against a local HTTP server
// standing for Secrets Manager and the KeyValueStore data plane; prints what reached the server.
const http = require('node:http');
const dns = require('node:dns');

// The KVS endpoint puts the account id in front of the host: *.kvs.test resolves to loopback.
const lookup = dns.lookup;
dns.lookup = (host, options, callback) => {
  if (!host.endsWith('.kvs.test')) return lookup(host, options, callback);
  const cb = typeof options === 'function' ? options : callback;
  return options && options.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4);
};

const requests = [];
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    requests.push({ path: req.url, scheme: (req.headers.authorization || '').split(' ')[0], regionSet: req.headers['x-amz-region-set'], target: req.headers['x-amz-target'] });
    if (String(req.headers['x-amz-target']).endsWith('GetSecretValue')) {
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.end(JSON.stringify({ Name: 'directory-key', SecretString: 'Q7v2Lm9XcR4tWb8NzK3pYh6JdF1sGa5E0uVoTi2CxMn7BqHk4ZlPw9SeDj3Ry8Ug' }));
    } else {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-amzn-errortype', 'ResourceNotFoundException');
      res.end(JSON.stringify({ message: 'Key not found' }));
    }
  });
});

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${port}`,
    AWS_ENDPOINT_URL_CLOUDFRONT_KEYVALUESTORE: `http://kvs.test:${port}`,
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'not-a-secret',
    AWS_REGION: 'us-east-1',
    RESIDENCY_DIRECTORY_KVS_ARN: 'arn:aws:cloudfront::123456789012:key-value-store/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
    RESIDENCY_DIRECTORY_REALMS: '["Global","EU"]',
    RESIDENCY_DIRECTORY_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:directory-key-AbCdEf',
  });
  const { handler } = require(process.argv[2]);
  const run = async (event) => {
    try {
      return await handler(event);
    } catch (error) {
      return { error: String(error && error.message) };
    }
  };
  // A slot, as a realm's relay sends it; then a request with a tenant id, which the writer refuses.
  const answer = await run({ action: 'realmOf', bucket: 'AbC', fingerprint: 'Q7v2Lm9XcR4t' });
  const refusal = await run({ action: 'realmOf', tenantId: 'tenant-1' });
  server.close();
  process.stdout.write(JSON.stringify({ answer, refusal, requests }));
});
