// Webhook signatures on Node, with node:crypto's createHmac as the independent oracle.
import { createHmac } from 'node:crypto';
import * as root from '../../src/index.js';
import { describeSignatureChecks } from './signature-suite.js';

describeSignatureChecks('Node, package root', root, (secret, body) =>
  createHmac('sha256', secret).update(body).digest('hex'),
);
