import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Confidence, type Ingester } from '../types.js';

const TSV_HEADER = 'path\texists\tsize\tmtime_epoch';
const MAX_CONFIG_BYTES = 1024 * 1024;

const KeyList = z.array(z.looseObject({ name: z.string().nullish(), secret: z.unknown().optional() })).nullish();
const Provider = z.record(
  z.string(),
  z.union([z.looseObject({ keys: KeyList, name: z.string().nullish() }), z.null()]).optional(),
);
export const EncryptionConfiguration = z.looseObject({
  kind: z.enum(['EncryptionConfiguration', 'EncryptionConfig']),
  resources: z.array(z.looseObject({ resources: z.array(z.string()), providers: z.array(Provider) })).nullish(),
});

/**
 * Encryption at rest of kube-apiserver (--encryption-provider-config). Two shapes:
 * collect.sh's `control-plane/encryption-config.tsv` (`path exists size mtime_epoch`: whether the
 * file exists; collect.sh never reads it because it holds the keys), and an
 * EncryptionConfiguration document handed in by an analyst, of which only the provider order and
 * key names are kept — never a key.
 */
export const encryptionConfig: Ingester = {
  kind: 'encryption-config',
  description: 'kube-apiserver encryption at rest: collect.sh existence TSV, or an EncryptionConfiguration (providers only)',
  detect(head) {
    if (head.firstLine.replace(/\r$/, '') === TSV_HEADER) return Confidence.CERTAIN;
    const text = head.trimmed;
    if (/^\s*"?kind"?\s*:\s*"?EncryptionConfig(uration)?"?\s*,?\s*$/m.test(text)) return Confidence.CERTAIN;
    return Confidence.NONE;
  },
  async ingest(source, ctx) {
    if (source.head.firstLine.replace(/\r$/, '') === TSV_HEADER) {
      await source.eachLine((line, lineNo) => {
        if (lineNo === 1 || line.trim() === '') return;
        const [path, exists, size, mtime] = line.split('\t');
        if (exists === undefined) {
          ctx.problem('schema', 'expected path, exists, size, mtime_epoch', `line ${lineNo}`);
          return;
        }
        const epoch = mtime && /^\d+$/.test(mtime) ? Number(mtime) : null;
        ctx.db.insert('encryption_config_files', {
          file_id: ctx.fileId,
          locator: `line ${lineNo}`,
          path: path && path !== '-' ? path : null,
          status: exists,
          size: size && /^\d+$/.test(size) ? Number(size) : null,
          mtime: epoch === null ? null : new Date(epoch * 1000).toISOString().replace('.000Z', 'Z'),
        });
      });
      return;
    }
    const text = await source.text(MAX_CONFIG_BYTES);
    if (text === undefined) {
      ctx.problem('oversize', `encryption configuration larger than ${MAX_CONFIG_BYTES} bytes not parsed`);
      return;
    }
    let value: unknown;
    try {
      value = parseYaml(text); // JSON is YAML too
    } catch (error) {
      // The message may quote the line, and that line may hold a key: say only where.
      const at = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
      ctx.problem('parse-error', 'EncryptionConfiguration is not valid YAML', at ? `line ${at}` : undefined);
      return;
    }
    const parsed = EncryptionConfiguration.safeParse(value);
    if (!parsed.success) {
      ctx.problem('schema', 'not an EncryptionConfiguration (resources[].resources / providers expected)');
      return;
    }
    ctx.db.transaction(() => {
      (parsed.data.resources ?? []).forEach((set, r) => {
        set.providers.forEach((provider, p) => {
          const type = Object.keys(provider)[0];
          if (!type) return;
          const body = provider[type];
          const keyNames = type === 'kms' ? [body?.name ?? null] : (body?.keys ?? []).map((k) => k.name ?? null);
          ctx.db.insert('encryption_providers', {
            file_id: ctx.fileId,
            locator: `/resources/${r}/providers/${p}`,
            resource_set: r,
            resources: set.resources,
            position: p,
            provider: type,
            key_names: type === 'identity' ? null : keyNames,
            key_material: (body?.keys ?? []).some((k) => typeof k.secret === 'string' && k.secret !== ''),
          });
        });
      });
    });
  },
};
