import { X509Certificate } from 'node:crypto';

/**
 * What the case DB keeps of a certificate. node:crypto gives names, SANs, validity, fingerprint
 * and signature checks; key usage and extended key usage are read from the DER here (Node 20
 * exposes neither bit names nor a stable EKU list).
 */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  commonName: string | null;
  organization: string | null;
  dnsNames: string[];
  ipAddresses: string[];
  serial: string;
  notBefore: string | null;
  notAfter: string | null;
  sha256: string;
  isCa: boolean;
  selfSigned: boolean;
  keyUsage: string[] | null;
  extKeyUsage: string[] | null;
  publicKey: string | null;
}

export function describeCertificate(cert: X509Certificate): CertificateFacts {
  const { keyUsage, extKeyUsage } = readUsages(cert.raw);
  const sans = parseSubjectAltName(cert.subjectAltName);
  return {
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    commonName: nameField(cert.subject, 'CN')[0] ?? null,
    organization: nameField(cert.subject, 'O').join(', ') || null,
    dnsNames: sans.filter((s) => s.type === 'DNS').map((s) => s.value),
    ipAddresses: sans.filter((s) => s.type === 'IP Address').map((s) => s.value.toLowerCase()),
    serial: cert.serialNumber.toLowerCase(),
    notBefore: isoDate(cert.validFrom),
    notAfter: isoDate(cert.validTo),
    sha256: cert.fingerprint256.replace(/:/g, '').toLowerCase(),
    isCa: cert.ca,
    selfSigned: issued(cert, cert),
    keyUsage,
    extKeyUsage,
    publicKey: publicKeyDescription(cert),
  };
}

/** Did `issuer` sign `subject` (names chain and the signature verifies with issuer's key)? */
export function issued(issuer: X509Certificate, subject: X509Certificate): boolean {
  try {
    // Node's checkIssued is asked of the subject: "was this certificate issued by otherCert?"
    return subject.checkIssued(issuer) && subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Node prints distinguished names one attribute per line; the case DB keeps them on one. */
function oneLine(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

function nameField(name: string, field: string): string[] {
  return name
    .split('\n')
    .filter((line) => line.startsWith(`${field}=`))
    .map((line) => unquote(line.slice(field.length + 1)));
}

/** Node JSON-quotes values holding separators or control characters. */
function unquote(value: string): string {
  if (value.startsWith('"') && value.endsWith('"')) {
    try {
      return JSON.parse(value) as string;
    } catch {
      return value;
    }
  }
  return value;
}

function parseSubjectAltName(text: string | undefined): { type: string; value: string }[] {
  if (!text) return [];
  const out: { type: string; value: string }[] = [];
  // `DNS:a, DNS:"b, c", IP Address:10.0.0.1` (values with separators are JSON-quoted).
  const re = /(DNS|IP Address|URI|email|DirName|othername|Registered ID):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
  for (let m = re.exec(text); m !== null && m[0] !== ''; m = re.exec(text)) out.push({ type: m[1]!, value: unquote(m[2]!) });
  return out;
}

function isoDate(text: string): string | null {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace('.000Z', 'Z');
}

function publicKeyDescription(cert: X509Certificate): string | null {
  try {
    const key = cert.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    const extra = details.modulusLength ?? details.namedCurve ?? '';
    return `${key.asymmetricKeyType ?? 'unknown'}${extra === '' ? '' : ` ${extra}`}`;
  } catch {
    return null;
  }
}

const KEY_USAGE_BITS = [
  'digitalSignature', 'contentCommitment', 'keyEncipherment', 'dataEncipherment', 'keyAgreement',
  'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
];
const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

interface Tlv {
  tag: number;
  start: number; // content start
  end: number; // content end
}

function readTlv(der: Buffer, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null;
  const tag = der[at]!;
  let length = der[at + 1]!;
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > limit) return null;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i]!;
    start += bytes;
  }
  const end = start + length;
  return end > limit ? null : { tag, start, end };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const tlv = readTlv(der, at, parent.end);
    if (!tlv) break;
    out.push(tlv);
    at = tlv.end;
  }
  return out;
}

function decodeOid(bytes: Buffer): string {
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** Key usage and extended key usage from the certificate's extensions; null = extension absent. */
export function readUsages(der: Buffer): { keyUsage: string[] | null; extKeyUsage: string[] | null } {
  const result: { keyUsage: string[] | null; extKeyUsage: string[] | null } = { keyUsage: null, extKeyUsage: null };
  const cert = readTlv(der, 0, der.length);
  const tbs = cert && children(der, cert)[0];
  if (!tbs) return result;
  const explicit3 = children(der, tbs).find((t) => t.tag === 0xa3);
  const extensions = explicit3 && children(der, explicit3)[0];
  if (!extensions) return result;
  for (const ext of children(der, extensions)) {
    const parts = children(der, ext);
    const oid = parts[0];
    const value = parts[parts.length - 1];
    if (!oid || oid.tag !== 0x06 || !value || value.tag !== 0x04) continue;
    const id = decodeOid(der.subarray(oid.start, oid.end));
    const inner = readTlv(der, value.start, value.end);
    if (!inner) continue;
    if (id === '2.5.29.15' && inner.tag === 0x03 && inner.end > inner.start) {
      const bits = der.subarray(inner.start + 1, inner.end);
      result.keyUsage = KEY_USAGE_BITS.filter((_, i) => ((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
    } else if (id === '2.5.29.37' && inner.tag === 0x30) {
      result.extKeyUsage = children(der, inner)
        .filter((t) => t.tag === 0x06)
        .map((t) => {
          const o = decodeOid(der.subarray(t.start, t.end));
          return EKU_NAMES[o] ?? o;
        });
    }
  }
  return result;
}
