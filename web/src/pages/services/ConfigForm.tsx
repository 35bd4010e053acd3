/**
 * A step's block `config`, edited as a form generated from the block's config JSON Schema (`GET
 * /api/sop-blocks`): text, numbers, switches, choices, bilingual texts, lists of objects (a decision's
 * outcomes, a request's fields, a checklist's items) and unions (an outcome's "then": go to a step, end,
 * or return for revision). What the reader does not understand is edited as JSON text.
 */
import {
  ActionIcon,
  Button,
  Fieldset,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JsonSchema } from '../../api/types.ts';
import i18n from '../../i18n/index.ts';
import { moveItem, type Path, type ProblemIndex, pathText } from './designerModel.ts';

type Schema = JsonSchema & {
  $ref?: string;
  $defs?: Record<string, Schema>;
  definitions?: Record<string, Schema>;
};

type Ctx = {
  root: Schema;
  problems: ProblemIndex;
  /** Where `config` sits in the definition (problems' paths start with it). */
  base: Path;
  /** The definition's step keys, for fields that name a step. */
  steps: { value: string; label: string }[];
  roles: string[];
};

/** Properties whose value is a step of the same SOP: offered as a list of steps. */
const STEP_REFERENCES = new Set(['goto', 'revise', 'next', 'resume', 'step']);

function resolve(schema: Schema, root: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace(/^#\/(\$defs|definitions)\//, '');
  return resolve(root.$defs?.[name] ?? root.definitions?.[name] ?? {}, root);
}

function typeOf(schema: Schema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((type) => type !== 'null');
  return schema.type;
}

function enumOf(schema: Schema): string[] | null {
  if (schema.enum) return schema.enum.map(String);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length && variants.every((v) => v.const !== undefined))
    return variants.map((v) => String(v.const));
  return null;
}

function isBilingual(schema: Schema): boolean {
  const props = schema.properties;
  return Boolean(props && Object.keys(props).sort().join(',') === 'en,id');
}

/** The variants of a union of objects, each named by the property only it has (`goto`, `end`, `revise`). */
function objectVariants(schema: Schema, root: Schema): { name: string; schema: Schema }[] | null {
  const variants = (schema.anyOf ?? schema.oneOf)?.map((v) => resolve(v as Schema, root));
  if (!variants || variants.length < 2 || !variants.every((v) => typeOf(v) === 'object' && v.properties))
    return null;
  const named = variants.map((v) => {
    const keys = Object.keys(v.properties ?? {});
    const own = keys.find((key) =>
      variants.every((other) => other === v || !(key in (other.properties ?? {}))),
    );
    return own ? { name: own, schema: v } : null;
  });
  return named.every(Boolean) ? (named as { name: string; schema: Schema }[]) : null;
}

function emptyOf(schema: Schema, root: Schema): unknown {
  const s = resolve(schema, root);
  if (s.default !== undefined) return structuredClone(s.default);
  const options = enumOf(s);
  if (options) return options[0];
  const variants = objectVariants(s, root);
  if (variants?.[0]) return emptyOf(variants[0].schema, root);
  switch (typeOf(s)) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set(s.required ?? []);
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        if (required.has(key)) out[key] = emptyOf(prop as Schema, root);
      }
      return out;
    }
    case 'array':
      return [];
    case 'boolean':
      return false;
    case 'number':
    case 'integer':
      return undefined;
    default:
      return '';
  }
}

function labelOf(name: string, schema: Schema): string {
  const fallback = schema.title ?? name.replace(/([a-z])([A-Z])/g, '$1 $2');
  return i18n.t(`designer.prop.${name}`, { defaultValue: fallback });
}

export function JsonField({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: unknown;
  onChange: (value: unknown) => void;
  error?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => JSON.stringify(value ?? null, null, 2));
  const [bad, setBad] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the value changes from outside
  useEffect(() => {
    try {
      if (JSON.stringify(JSON.parse(text)) === JSON.stringify(value ?? null)) return;
    } catch {
      // keep the user's text while it is not JSON yet
      return;
    }
    setText(JSON.stringify(value ?? null, null, 2));
  }, [value]);
  return (
    <Textarea
      label={label}
      description={t('designer.jsonField')}
      value={text}
      autosize
      minRows={3}
      maxRows={14}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      error={bad ? t('designer.jsonInvalid') : error}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setText(next);
        try {
          onChange(JSON.parse(next));
          setBad(false);
        } catch {
          setBad(true);
        }
      }}
    />
  );
}

type FieldProps = {
  name: string;
  schema: Schema;
  value: unknown;
  onChange: (value: unknown) => void;
  path: Path;
  ctx: Ctx;
  required: boolean;
};

function SchemaField({ name, schema: raw, value, onChange, path, ctx, required }: FieldProps) {
  const { t } = useTranslation();
  const schema = resolve(raw, ctx.root);
  const full = [...ctx.base, ...path];
  const error = ctx.problems.at(full);
  const label = labelOf(name, schema);
  const description = schema.description;
  const options = enumOf(schema);
  const type = typeOf(schema);

  if (STEP_REFERENCES.has(name) && type === 'string' && !options) {
    return (
      <Select
        label={label}
        description={description}
        data={ctx.steps}
        value={typeof value === 'string' ? value : null}
        onChange={(next) => onChange(next ?? undefined)}
        error={error}
        required={required}
        allowDeselect={!required}
        comboboxProps={{ withinPortal: true }}
      />
    );
  }
  if (options) {
    return (
      <Select
        label={label}
        description={description}
        data={options}
        value={typeof value === 'string' ? value : value === undefined ? null : String(value)}
        onChange={(next) => onChange(next ?? undefined)}
        error={error}
        required={required}
        allowDeselect={!required}
        comboboxProps={{ withinPortal: true }}
      />
    );
  }
  if (isBilingual(schema)) {
    const text = (value ?? {}) as { id?: string; en?: string };
    return (
      <Fieldset legend={label} variant="unstyled" p={0}>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
          <TextInput
            label="Bahasa Indonesia"
            size="sm"
            value={text.id ?? ''}
            required={required}
            error={ctx.problems.at([...full, 'id']) ?? error}
            onChange={(event) => onChange({ ...text, id: event.currentTarget.value })}
          />
          <TextInput
            label="English"
            size="sm"
            value={text.en ?? ''}
            required={required}
            error={ctx.problems.at([...full, 'en'])}
            onChange={(event) => onChange({ ...text, en: event.currentTarget.value })}
          />
        </SimpleGrid>
      </Fieldset>
    );
  }
  const variants = objectVariants(schema, ctx.root);
  if (variants) {
    const current = (value ?? {}) as Record<string, unknown>;
    const chosen =
      variants.find((v) => v.name in current) ?? (variants[0] as { name: string; schema: Schema });
    return (
      <Stack gap={6}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <SegmentedControl
          size="xs"
          data={variants.map((v) => ({
            value: v.name,
            label: t(`designer.variant.${v.name}`, { defaultValue: v.name }),
          }))}
          value={chosen.name}
          onChange={(name) => {
            const variant = variants.find((v) => v.name === name);
            if (variant) onChange(emptyOf(variant.schema, ctx.root));
          }}
        />
        <ObjectFields schema={chosen.schema} value={current} onChange={onChange} path={path} ctx={ctx} />
        {error ? (
          <Text size="xs" c="red.7">
            {error}
          </Text>
        ) : null}
      </Stack>
    );
  }
  switch (type) {
    case 'boolean':
      return (
        <Switch
          label={label}
          description={description}
          checked={value === true}
          onChange={(event) => onChange(event.currentTarget.checked)}
          error={error}
        />
      );
    case 'number':
    case 'integer':
      return (
        <NumberInput
          label={label}
          description={description}
          value={typeof value === 'number' ? value : ''}
          allowDecimal={type === 'number'}
          onChange={(next) => onChange(typeof next === 'number' ? next : undefined)}
          error={error}
          required={required}
        />
      );
    case 'string':
      return (
        <TextInput
          label={label}
          description={description}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.currentTarget.value)}
          error={error}
          required={required}
        />
      );
    case 'object':
      if (schema.properties) {
        return (
          <Fieldset legend={label} p="sm" radius="md">
            <ObjectFields
              schema={schema}
              value={(value ?? {}) as Record<string, unknown>}
              onChange={onChange}
              path={path}
              ctx={ctx}
            />
          </Fieldset>
        );
      }
      break;
    case 'array': {
      const items = resolve((schema.items ?? {}) as Schema, ctx.root);
      const itemOptions = enumOf(items);
      const list = Array.isArray(value) ? value : [];
      if (itemOptions) {
        return (
          <MultiSelect
            label={label}
            description={description}
            data={itemOptions}
            value={list.map(String)}
            onChange={onChange}
            error={error ?? ctx.problems.under(full)}
            comboboxProps={{ withinPortal: true }}
          />
        );
      }
      if (typeOf(items) === 'string') {
        return (
          <Textarea
            label={label}
            description={description ?? t('designer.onePerLine')}
            value={list.join('\n')}
            autosize
            minRows={2}
            onChange={(event) => onChange(event.currentTarget.value.split('\n'))}
            onBlur={(event) =>
              onChange(
                event.currentTarget.value
                  .split('\n')
                  .map((l) => l.trim())
                  .filter(Boolean),
              )
            }
            error={error ?? ctx.problems.under(full)}
          />
        );
      }
      if (typeOf(items) === 'object' || objectVariants(items, ctx.root)) {
        return (
          <ObjectList
            label={label}
            items={items}
            list={list as Record<string, unknown>[]}
            onChange={onChange}
            path={path}
            ctx={ctx}
            error={error}
          />
        );
      }
      break;
    }
  }
  return <JsonField label={label} value={value} onChange={onChange} error={ctx.problems.under(full)} />;
}

function ObjectList({
  label,
  items,
  list,
  onChange,
  path,
  ctx,
  error,
}: {
  label: string;
  items: Schema;
  list: Record<string, unknown>[];
  onChange: (value: unknown) => void;
  path: Path;
  ctx: Ctx;
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500}>
        {label}
      </Text>
      {list.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('designer.emptyList', { what: label })}
        </Text>
      ) : null}
      {list.map((item, index) => (
        <Fieldset
          // biome-ignore lint/suspicious/noArrayIndexKey: items have no identity of their own while edited
          key={index}
          p="sm"
          radius="md"
          legend={
            <Group gap={4} wrap="nowrap">
              <Text size="xs" fw={600}>
                {typeof item.key === 'string' && item.key ? item.key : `#${index + 1}`}
              </Text>
              <ActionIcon
                size="sm"
                variant="subtle"
                aria-label={t('designer.moveUp')}
                disabled={index === 0}
                onClick={() => onChange(moveItem(list, index, index - 1))}
              >
                <IconArrowUp size={14} />
              </ActionIcon>
              <ActionIcon
                size="sm"
                variant="subtle"
                aria-label={t('designer.moveDown')}
                disabled={index === list.length - 1}
                onClick={() => onChange(moveItem(list, index, index + 1))}
              >
                <IconArrowDown size={14} />
              </ActionIcon>
              <ActionIcon
                size="sm"
                variant="subtle"
                color="red"
                aria-label={t('designer.removeItem')}
                onClick={() => onChange(list.filter((_, i) => i !== index))}
              >
                <IconTrash size={14} />
              </ActionIcon>
            </Group>
          }
        >
          {objectVariants(items, ctx.root) ? (
            <SchemaField
              name={label}
              schema={items}
              value={item}
              onChange={(next) => onChange(list.map((old, i) => (i === index ? next : old)))}
              path={[...path, index]}
              ctx={ctx}
              required
            />
          ) : (
            <ObjectFields
              schema={items}
              value={item}
              onChange={(next) => onChange(list.map((old, i) => (i === index ? next : old)))}
              path={[...path, index]}
              ctx={ctx}
            />
          )}
        </Fieldset>
      ))}
      {error ? (
        <Text size="xs" c="red.7">
          {error}
        </Text>
      ) : null}
      <Button
        variant="light"
        size="xs"
        leftSection={<IconPlus size={14} />}
        onClick={() => onChange([...list, emptyOf(items, ctx.root)])}
        style={{ alignSelf: 'flex-start' }}
      >
        {t('designer.addItem', { what: label })}
      </Button>
    </Stack>
  );
}

function ObjectFields({
  schema,
  value,
  onChange,
  path,
  ctx,
}: {
  schema: Schema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  path: Path;
  ctx: Ctx;
}) {
  const required = new Set(schema.required ?? []);
  return (
    <Stack gap="sm">
      {Object.entries(schema.properties ?? {}).map(([name, prop]) => (
        <SchemaField
          key={name}
          name={name}
          schema={prop as Schema}
          value={value[name]}
          required={required.has(name)}
          path={[...path, name]}
          ctx={ctx}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[name];
            else copy[name] = next;
            onChange(copy);
          }}
        />
      ))}
    </Stack>
  );
}

/** The whole config form of one step. */
export function ConfigForm({
  schema,
  value,
  onChange,
  base,
  problems,
  steps,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  base: Path;
  problems: ProblemIndex;
  steps: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const root = schema as Schema;
  const ctx: Ctx = { root, problems, base, steps, roles: [] };
  const resolved = resolve(root, root);
  if (typeOf(resolved) !== 'object' || !resolved.properties) {
    return (
      <JsonField
        label={t('designer.config')}
        value={value}
        onChange={(v) => onChange((v ?? {}) as Record<string, unknown>)}
        error={problems.under(base)}
      />
    );
  }
  if (Object.keys(resolved.properties).length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('designer.noConfig')}
      </Text>
    );
  }
  const own = problems.at(base);
  return (
    <Stack gap="sm" data-testid={`config-${pathText(base)}`}>
      <ObjectFields schema={resolved} value={value} onChange={onChange} path={[]} ctx={ctx} />
      {own ? (
        <Text size="xs" c="red.7">
          {own}
        </Text>
      ) : null}
    </Stack>
  );
}
