'use strict';
/** HS256 tokens as the service expects them (sub, roles, department, exp), without extra dependencies. */
const { createHmac, randomBytes } = require('node:crypto');

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function mintToken(secret, roles, sub = `${roles[0]}-bench`, ttlSeconds = 6 * 3600) {
  const now = Math.floor(Date.now() / 1000);
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub, roles, department: 'after-sales', iat: now, exp: now + ttlSeconds })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

const newSecret = () => randomBytes(32).toString('hex');

module.exports = { mintToken, newSecret };
