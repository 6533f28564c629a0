import { X509Certificate } from 'node:crypto';
import type { CaseDb } from '../../case-db/case-db.js';
import { describeCertificate, issued } from '../control-plane/x509.js';
import { Confidence, type IngestContext, type Ingester } from '../types.js';

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/;
const END = /^-----END ([A-Z0-9 ]+)-----\s*$/;
/** A certificate is a few KiB; a block far larger is not one (and is not buffered). */
const MAX_BLOCK_LINES = 2000;

/**
 * Certificates already in each case DB, by input and subject name, for issuer links across files:
 * only a certificate whose subject is the other's issuer can have signed it, so a large CA bundle
 * costs one lookup per certificate, not one signature check per pair.
 */
interface Known {
  row: number;
  cert: X509Certificate;
}
const seen = new WeakMap<CaseDb, Map<number, { bySubject: Map<string, Known[]>; byIssuer: Map<string, Known[]> }>>();

/**
 * PEM certificates (collect.sh's control-plane/pki/**.crt, or any PEM file handed in), several per
 * file allowed. Each certificate becomes a row of `certificates`; issuer links between
 * certificates of the same input are verified by signature and stored in certificate_issuers.
 * A private key block is recorded as a fact (pem_private_keys), never its content.
 */
export const x509Certificate: Ingester = {
  kind: 'x509-certificate',
  description: 'PEM X.509 certificates (Kubernetes / etcd PKI); private key blocks noted, never kept',
  detect(head) {
    if (head.isBinary) return Confidence.NONE;
    if (/^-----BEGIN CERTIFICATE-----\s*$/m.test(head.text)) return Confidence.CERTAIN;
    if (/^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\s*$/m.test(head.text)) return Confidence.PLAUSIBLE;
    return Confidence.NONE;
  },
  async ingest(source, ctx) {
    let block: { type: string; line: number; body: string[] } | null = null;
    const certificates: { line: number; der: Buffer }[] = [];
    await source.eachLine((line, lineNo) => {
      if (!block) {
        const begin = BEGIN.exec(line);
        if (begin) block = { type: begin[1]!, line: lineNo, body: [] };
        return;
      }
      const end = END.exec(line);
      if (!end) {
        if (block.type.includes('PRIVATE KEY')) return; // never hold key material
        if (block.body.length >= MAX_BLOCK_LINES) {
          ctx.problem('oversize', `PEM ${block.type} block longer than ${MAX_BLOCK_LINES} lines skipped`, `line ${block.line}`);
          block = null;
          return;
        }
        block.body.push(line.trim());
        return;
      }
      if (block.type.includes('PRIVATE KEY')) {
        ctx.db.insert('pem_private_keys', { file_id: ctx.fileId, locator: `line ${block.line}`, pem_type: block.type });
      } else if (block.type === 'CERTIFICATE' || block.type === 'TRUSTED CERTIFICATE') {
        certificates.push({ line: block.line, der: Buffer.from(block.body.join(''), 'base64') });
      }
      block = null;
    });
    if (block) ctx.problem('truncated', `PEM ${(block as { type: string }).type} block without its END line`, `line ${(block as { line: number }).line}`);
    ctx.db.transaction(() => {
      for (const { line, der } of certificates) recordCertificate(ctx, der, `line ${line}`);
    });
  },
};

function recordCertificate(ctx: IngestContext, der: Buffer, locator: string): void {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch (error) {
    ctx.problem('parse-error', `not a valid X.509 certificate (${(error as Error).message})`, locator);
    return;
  }
  const facts = describeCertificate(cert);
  const row = ctx.db.insert('certificates', {
    input_id: ctx.inputId,
    file_id: ctx.fileId,
    locator,
    path: ctx.path,
    pki_path: pkiPath(ctx.path),
    subject: facts.subject,
    issuer: facts.issuer,
    common_name: facts.commonName,
    organization: facts.organization,
    dns_names: facts.dnsNames,
    ip_addresses: facts.ipAddresses,
    serial: facts.serial,
    not_before: facts.notBefore,
    not_after: facts.notAfter,
    sha256: facts.sha256,
    is_ca: facts.isCa,
    self_signed: facts.selfSigned,
    key_usage: facts.keyUsage,
    ext_key_usage: facts.extKeyUsage,
    public_key: facts.publicKey,
    pem: cert.toString(),
  });
  let perDb = seen.get(ctx.db);
  if (!perDb) seen.set(ctx.db, (perDb = new Map()));
  let known = perDb.get(ctx.inputId);
  if (!known) perDb.set(ctx.inputId, (known = { bySubject: new Map(), byIssuer: new Map() }));
  for (const other of known.bySubject.get(cert.issuer) ?? []) {
    if (issued(other.cert, cert)) ctx.db.insert('certificate_issuers', { subject_row: row, issuer_row: other.row });
  }
  for (const other of known.byIssuer.get(cert.subject) ?? []) {
    if (issued(cert, other.cert)) ctx.db.insert('certificate_issuers', { subject_row: other.row, issuer_row: row });
  }
  const entry: Known = { row, cert };
  const push = (map: Map<string, Known[]>, name: string) => {
    const list = map.get(name);
    if (list) list.push(entry);
    else map.set(name, [entry]);
  };
  push(known.bySubject, cert.subject);
  push(known.byIssuer, cert.issuer);
  ctx.progress(1);
}

/** `control-plane/pki/etcd/server.crt` → `etcd/server.crt` (below the last `pki` directory). */
export function pkiPath(path: string): string | null {
  const parts = path.split('/');
  const at = parts.lastIndexOf('pki');
  return at === -1 || at === parts.length - 1 ? null : parts.slice(at + 1).join('/');
}
