// docs/exchange.openapi.yaml against the running service: Redocly's linter on
// the file, then real calls whose bodies and answers are validated against
// the file's schemas with Ajv (JSON Schema 2020-12, the dialect of OpenAPI
// 3.1). Run by test_openapi.py, which starts the stack and passes
// CABINET_URL, CABINET_HOST and CABINET_KEY.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(here, '..', '..', 'docs', 'exchange.openapi.yaml');
const doc = YAML.parse(readFileSync(file, 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
const defs = JSON.parse(JSON.stringify(doc.components.schemas).replaceAll('#/components/schemas/', 'openapi#/$defs/'));
ajv.addSchema({ $id: 'openapi', $defs: defs });

function check(name, value) {
  const validate = ajv.getSchema(`openapi#/$defs/${name}`);
  assert.ok(validate, `no schema ${name}`);
  assert.ok(validate(value), `${name}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(value).slice(0, 300)}`);
}

// The schema of an answer as the file declares it for a path, method and status.
function answerSchema(p, method, status) {
  let r = doc.paths[p][method].responses[String(status)];
  assert.ok(r, `${method} ${p} does not declare ${status}`);
  if (r.$ref) r = doc.components.responses[r.$ref.split('/').pop()];
  return r.content['application/json'].schema.$ref.split('/').pop();
}

function call(method, p, body, key = process.env.CABINET_KEY, extra = {}) {
  const url = new URL(p, process.env.CABINET_URL);
  const data = body === undefined ? null : Buffer.from(JSON.stringify(body));
  const headers = { Host: process.env.CABINET_HOST, ...extra };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (data) { headers['Content-Type'] = 'application/json'; headers['Content-Length'] = data.length; }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, json: JSON.parse(Buffer.concat(chunks).toString() || 'null') }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// A call whose request and answer must both match the file.
async function put(what, items, want = 200) {
  const p = `/api/exchange/v1/${what}`;
  const body = { items };
  check(doc.paths[p].put.requestBody.content['application/json'].schema.$ref.split('/').pop(), body);
  const r = await call('PUT', p, body);
  assert.equal(r.status, want, JSON.stringify(r.json));
  check(answerSchema(p, 'put', r.status), r.json);
  return r.json;
}

test('Redocly lints the file clean', () => {
  const bin = path.join(here, 'node_modules', '.bin', 'redocly');
  const r = spawnSync(bin, ['lint', '--format=stylish', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('the service answers as the file says', async () => {
  await put('organizations', [{ external_id: 'oa-org', name: 'ООО «Схема»', inn: '7707083893', kpp: '773601001',
    okpo: '00032537', address: 'Москва', head: null }]);
  await put('positions', [{ external_id: 'oa-pos', name: 'Инженер' }]);
  await put('departments', [{ external_id: 'oa-d2', name: 'Цех', parent: 'oa-d1' },
    { external_id: 'oa-d1', name: 'Завод', organization: 'oa-org' }]);
  const people = [{ external_id: 'oa-e1', personnel_number: 'OA1', full_name: 'Иванов Иван Иванович',
    birth_date: '1990-05-17', organization: 'oa-org', department: 'oa-d2', position: 'oa-pos', hired: '2024-01-15',
    dismissed: null, phone: '+79161234567', email: 'ivanov@example.org', snils: '112-233-445 95',
    inn: '500100732259', insurance_record: { years: 3, months: 2, as_of: '2024-01-01' },
    pay: [{ date_from: '2024-01-15', rate: '60000.00', pay_by: 'days', norm: null }] }];
  assert.deepEqual(await put('employees', people), { created: 1, updated: 0, unchanged: 0 });
  assert.deepEqual(await put('employees', people), { created: 0, updated: 0, unchanged: 1 });
  await put('personal-file', [{ external_id: 'oa-r1', employee: 'oa-e1', kind: 'education', institution: 'МГУ',
    year: 2012 }, { external_id: 'oa-r2', employee: 'oa-e1', kind: 'employment', event: 'hire',
    date_from: '2024-01-15', order_number: '1-к', order_date: '2024-01-12' }]);
  // KPIs of the employee: created, then unchanged; an unknown employee named by its item
  const kpi = [{ external_id: 'oa-k1', employee: 'oa-e1', period: '2026-03', name: 'Выполнение плана продаж',
    unit: 'руб.', plan: 1200000, fact: '1158000.50' }, { external_id: 'oa-k2', employee: 'oa-e1',
    period: '2026-Q1', name: 'Новые клиенты', unit: null, plan: 30, fact: null }];
  assert.deepEqual(await put('kpi', kpi), { created: 2, updated: 0, unchanged: 0 });
  assert.deepEqual(await put('kpi', kpi), { created: 0, updated: 0, unchanged: 2 });
  const badKpi = await put('kpi', [kpi[0], { external_id: 'oa-k3', employee: 'oa-nobody', period: '2026', name: 'Х' }], 422);
  assert.ok(badKpi.error.items['1'].employee);
  // opening balances of the employee: created, then unchanged; a bad month named
  const bal = [{ employee: 'oa-e1', as_of: '2024-06-30', vacation_days_used: 3.5,
    months: [{ month: '2024-05', earnings: '60000.00', excluded_days: 0, insured_earnings: null }],
    ndfl: { year: 2024, income: '300000.00', deductions: '0.00', tax: '39000.00' } }];
  assert.deepEqual(await put('opening-balances', bal), { created: 1, updated: 0, unchanged: 0 });
  assert.deepEqual(await put('opening-balances', bal), { created: 0, updated: 0, unchanged: 1 });
  const badBal = await put('opening-balances', [{ ...bal[0], months: [{ month: '2024-08', earnings: '1.00' }] }], 422);
  assert.ok(badBal.error.fields['items[0].months[0].month'], JSON.stringify(badBal));
  // a refused batch: the error names items and fields
  const bad = await put('employees', [people[0], { external_id: 'oa-e2', full_name: 'Петров Пётр', email: 'x' }], 422);
  assert.ok(bad.error.items['1'].email);
  assert.ok(bad.error.fields['items[1].email']);
  // no key
  const r = await call('PUT', '/api/exchange/v1/positions', { items: [] }, null);
  assert.equal(r.status, 401);
  check(answerSchema('/api/exchange/v1/positions', 'put', 401), r.json);
  // the log
  const log = await call('GET', '/api/exchange/v1/log?limit=20');
  assert.equal(log.status, 200);
  check(answerSchema('/api/exchange/v1/log', 'get', 200), log.json);
  assert.equal(log.json.items[0].errors, 1);
});

test('the requests feed and the states pushed back answer as the file says', async () => {
  const feed = await call('GET', '/api/exchange/v1/requests');
  assert.equal(feed.status, 200);
  check(answerSchema('/api/exchange/v1/requests', 'get', 200), feed.json);
  assert.equal(feed.json.items.length, 1);
  const next = await call('GET', `/api/exchange/v1/requests?cursor=${encodeURIComponent(feed.json.cursor)}`);
  assert.deepEqual(next.json.items, []);
  const bad = await call('GET', '/api/exchange/v1/requests?cursor=nonsense');
  assert.equal(bad.status, 422);
  check(answerSchema('/api/exchange/v1/requests', 'get', 422), bad.json);
  const p = `/api/exchange/v1/requests/${feed.json.items[0].id}/state`;
  const body = { state: 'done', comment: 'Аванс 25-го числа' };
  check(doc.paths['/api/exchange/v1/requests/{id}/state'].post.requestBody.content['application/json'].schema.$ref
    .split('/').pop(), body);
  const done = await call('POST', p, body, undefined, { 'Idempotency-Key': 'openapi-1' });
  assert.equal(done.status, 200, JSON.stringify(done.json));
  check(answerSchema('/api/exchange/v1/requests/{id}/state', 'post', 200), done.json);
  const again = await call('POST', p, body, undefined, { 'Idempotency-Key': 'openapi-2' });
  assert.equal(again.status, 409);
  check(answerSchema('/api/exchange/v1/requests/{id}/state', 'post', 409), again.json);
  const lost = await call('POST', '/api/exchange/v1/requests/999999/state', body, undefined,
    { 'Idempotency-Key': 'openapi-3' });
  assert.equal(lost.status, 404);
  check(answerSchema('/api/exchange/v1/requests/{id}/state', 'post', 404), lost.json);
});
