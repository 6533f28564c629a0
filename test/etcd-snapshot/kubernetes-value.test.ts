import { describe, expect, it } from 'vitest';

import { cborObject, configMapProtobuf, encryptedValue, jsonObject, secretProtobuf } from '../../scripts/etcd-fixture.js';
import { crc32c, fnv1a64 } from '../../src/etcd-snapshot/checksums.js';
import { decodeCbor } from '../../src/etcd-snapshot/cbor.js';
import { classifyValue, parseEncryptionPrefix } from '../../src/etcd-snapshot/kubernetes-value.js';
import { parseRegistryKey } from '../../src/etcd-snapshot/registry-key.js';
import { decodeKeyValue, parseRevisionKey } from '../../src/etcd-snapshot/mvcc.js';
import { keyValue, revisionKey } from './helpers/bolt-writer.js';

describe('checksums', () => {
  it('match the published check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    expect(fnv1a64(Buffer.from('a'))).toBe(0xaf63dc4c8601ec8cn);
  });
});

describe('mvcc', () => {
  it('parses revision keys and rejects malformed ones', () => {
    expect(parseRevisionKey(revisionKey(862, 127))).toEqual({ main: 862, sub: 127, tombstone: false });
    expect(parseRevisionKey(revisionKey(9, 0, true))).toEqual({ main: 9, sub: 0, tombstone: true });
    expect(parseRevisionKey(Buffer.from('consistent_index'))).toBeNull();
    const bad = revisionKey(5);
    bad[8] = 0x2d;
    expect(parseRevisionKey(bad)).toBeNull();
    expect(parseRevisionKey(Buffer.concat([revisionKey(5), Buffer.from('x')]))).toBeNull();
  });

  it('decodes mvccpb.KeyValue with an int64 lease beyond 2^53', () => {
    const kv = decodeKeyValue(keyValue({ main: 7, create: 3, version: 4, key: '/a', value: Buffer.from('v'), lease: 0x694d7a0d3f5c6e21n }));
    expect(kv).toMatchObject({ createRevision: 3, modRevision: 7, version: 4, lease: 0x694d7a0d3f5c6e21n });
    expect(Buffer.from(kv.key).toString()).toBe('/a');
    expect(() => decodeKeyValue(Buffer.from([0x0a, 0x7f, 0x41]))).toThrow(/past end/);
  });
});

describe('classifyValue', () => {
  it('decodes the protobuf envelope and a Secret data presence', () => {
    const c = classifyValue(secretProtobuf({ name: 's', namespace: 'n', uid: 'u', created: 0 }, { a: 'b' }));
    expect(c).toMatchObject({
      valueKind: 'protobuf',
      k8s: { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'n', uid: 'u', creationTimestamp: '1970-01-01T00:00:00Z' },
      secretData: true,
      decodeError: null,
    });
    expect(classifyValue(secretProtobuf({ name: 's' }, {})).secretData).toBe(false);
    // a ConfigMap's field 2 is not "secret data" unless the caller says the key is a Secret's
    expect(classifyValue(configMapProtobuf({ name: 'c' }, { a: 'b' })).secretData).toBeNull();
  });

  it('keeps what it decoded from a cut-off envelope', () => {
    const full = secretProtobuf({ name: 'cut', namespace: 'n' }, { a: 'b'.repeat(100) });
    const c = classifyValue(full.subarray(0, full.length - 50));
    expect(c.valueKind).toBe('protobuf');
    expect(c.k8s?.kind).toBe('Secret');
    expect(c.decodeError).not.toBeNull();
  });

  it('reads JSON objects, including invalid JSON', () => {
    expect(classifyValue(jsonObject('v1', 'Secret', { name: 'j' }, { data: { a: 'Yg==' } }))).toMatchObject({
      valueKind: 'json',
      k8s: { kind: 'Secret', name: 'j', namespace: null },
      secretData: true,
    });
    expect(classifyValue(jsonObject('v1', 'Secret', { name: 'j' }, { data: {} })).secretData).toBe(false);
    const broken = classifyValue(Buffer.from('{"kind": '));
    expect(broken).toMatchObject({ valueKind: 'json', k8s: null });
    expect(broken.decodeError).toMatch(/JSON/);
  });

  it('reads CBOR with byte-string or text-string keys', () => {
    const c = classifyValue(cborObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'c', namespace: 'n' }, data: { k: 'v' } }));
    expect(c).toMatchObject({ valueKind: 'cbor', k8s: { kind: 'Secret', name: 'c', namespace: 'n' }, secretData: true });
    // text-string variant: d9d9f7 a1 64 'kind' 66 'Secret'
    const text = Buffer.from('d9d9f7a1646b696e6466536563726574', 'hex');
    expect(classifyValue(text).k8s?.kind).toBe('Secret');
    expect(classifyValue(Buffer.from('d9d9f7bf', 'hex')).decodeError).toMatch(/CBOR/);
    expect(() => decodeCbor(Buffer.from('9b7fffffffffffffff', 'hex'))).toThrow();
  });

  it('parses encryption prefixes', () => {
    expect(classifyValue(encryptedValue('aesgcm', 'k-2024'))).toMatchObject({
      valueKind: 'encrypted',
      encrypted: { provider: 'aesgcm', version: 'v1', keyName: 'k-2024' },
      k8s: null,
    });
    expect(parseEncryptionPrefix(Buffer.from('k8s:enc:secretbox:v1:key1:\x00\x01'))).toEqual({ provider: 'secretbox', version: 'v1', keyName: 'key1' });
    expect(parseEncryptionPrefix(Buffer.from('k8s:enc:kms:v2:'))).toEqual({ provider: 'kms', version: 'v2', keyName: '' });
    expect(parseEncryptionPrefix(Buffer.from('k8s:enc:\x00\x01'))).toEqual({ provider: '', version: '', keyName: '' });
  });

  it('calls anything else unknown or empty', () => {
    expect(classifyValue(Buffer.alloc(0)).valueKind).toBe('empty');
    expect(classifyValue(Buffer.from('12345')).valueKind).toBe('unknown');
    expect(classifyValue(Buffer.from([0x6b, 0x38, 0x73])).valueKind).toBe('unknown');
  });
});

describe('parseRegistryKey', () => {
  it('splits core, group, cluster-scoped and two-part resources', () => {
    const p = (k: string) => parseRegistryKey(k, '/registry');
    expect(p('/registry/secrets/default/db')).toEqual({ resource: 'secrets', namespace: 'default', name: 'db' });
    expect(p('/registry/namespaces/kube-system')).toEqual({ resource: 'namespaces', namespace: null, name: 'kube-system' });
    expect(p('/registry/minions/node-1')).toEqual({ resource: 'minions', namespace: null, name: 'node-1' });
    expect(p('/registry/apiregistration.k8s.io/apiservices/v1.apps')).toEqual({
      resource: 'apiregistration.k8s.io/apiservices',
      namespace: null,
      name: 'v1.apps',
    });
    expect(p('/registry/example.com/widgets/ns/w')).toEqual({ resource: 'example.com/widgets', namespace: 'ns', name: 'w' });
    expect(p('/registry/services/specs/default/kubernetes')).toEqual({ resource: 'services/specs', namespace: 'default', name: 'kubernetes' });
    expect(p('/registry/health')).toBeNull();
    expect(p('compact_rev_key')).toBeNull();
    expect(parseRegistryKey('/custom/secrets/a/b', '/custom/')).toEqual({ resource: 'secrets', namespace: 'a', name: 'b' });
  });
});
