/**
 * Small JSON schemas of the payloads, written from the services' public documentation:
 * - Slack Block Kit (docs.slack.dev, reference/block-kit): top-level `text` fallback and at most 50
 *   `blocks`; header: plain_text of at most 150 characters; section: `text` of at most 3000 and/or at
 *   most 10 `fields` of at most 2000; context: at most 10 elements.
 * - Microsoft Teams incoming webhooks (learn.microsoft.com, "Send Adaptive Cards using Incoming Webhooks"):
 *   `{ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl, content }] }`,
 *   content an AdaptiveCard (adaptivecards.io schema) of version <= 1.4 with TextBlock / FactSet elements.
 * - Discord Execute Webhook (discord.com/developers, resources/webhook and the embed object): `content` at
 *   most 2000 characters, at most 10 embeds; embed title 256, description 4096, at most 25 fields with
 *   name 256 and value 1024, colour an integer RGB, ISO 8601 timestamp; 6000 characters per message in all
 *   (checked in the test, not expressible here).
 */
const str = (maxLength: number, minLength = 1) => ({ type: 'string', minLength, maxLength })

const slackPlain = { type: 'object', required: ['type', 'text'], properties: { type: { const: 'plain_text' }, text: str(150), emoji: { type: 'boolean' } }, additionalProperties: false }
const slackText = (max: number) => ({
  type: 'object',
  required: ['type', 'text'],
  properties: { type: { enum: ['plain_text', 'mrkdwn'] }, text: str(max), emoji: { type: 'boolean' } },
  additionalProperties: false,
})

export const slackSchema = {
  type: 'object',
  required: ['text', 'blocks'],
  properties: {
    text: str(40_000),
    blocks: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        oneOf: [
          { type: 'object', required: ['type', 'text'], properties: { type: { const: 'header' }, text: slackPlain, block_id: str(255) }, additionalProperties: false },
          {
            type: 'object',
            required: ['type'],
            anyOf: [{ required: ['text'] }, { required: ['fields'] }],
            properties: { type: { const: 'section' }, text: slackText(3000), fields: { type: 'array', minItems: 1, maxItems: 10, items: slackText(2000) }, block_id: str(255) },
            additionalProperties: false,
          },
          { type: 'object', required: ['type', 'elements'], properties: { type: { const: 'context' }, elements: { type: 'array', minItems: 1, maxItems: 10, items: slackText(3000) } }, additionalProperties: false },
          { type: 'object', required: ['type'], properties: { type: { const: 'divider' } }, additionalProperties: false },
        ],
      },
    },
  },
  additionalProperties: false,
}

const textBlock = {
  type: 'object',
  required: ['type', 'text'],
  properties: {
    type: { const: 'TextBlock' },
    text: { type: 'string' },
    wrap: { type: 'boolean' },
    size: { enum: ['Small', 'Default', 'Medium', 'Large', 'ExtraLarge'] },
    weight: { enum: ['Lighter', 'Default', 'Bolder'] },
    color: { enum: ['Default', 'Dark', 'Light', 'Accent', 'Good', 'Warning', 'Attention'] },
    isSubtle: { type: 'boolean' },
  },
  additionalProperties: false,
}
const factSet = {
  type: 'object',
  required: ['type', 'facts'],
  properties: { type: { const: 'FactSet' }, facts: { type: 'array', items: { type: 'object', required: ['title', 'value'], properties: { title: { type: 'string' }, value: { type: 'string' } }, additionalProperties: false } } },
  additionalProperties: false,
}

export const teamsSchema = {
  type: 'object',
  required: ['type', 'attachments'],
  properties: {
    type: { const: 'message' },
    attachments: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['contentType', 'content'],
        properties: {
          contentType: { const: 'application/vnd.microsoft.card.adaptive' },
          contentUrl: { type: ['string', 'null'] },
          content: {
            type: 'object',
            required: ['type', 'version', 'body'],
            properties: {
              $schema: { const: 'http://adaptivecards.io/schemas/adaptive-card.json' },
              type: { const: 'AdaptiveCard' },
              version: { enum: ['1.0', '1.1', '1.2', '1.3', '1.4'] },
              body: { type: 'array', minItems: 1, items: { oneOf: [textBlock, factSet] } },
              actions: {
                type: 'array',
                items: { type: 'object', required: ['type', 'title', 'url'], properties: { type: { const: 'Action.OpenUrl' }, title: { type: 'string' }, url: { type: 'string' } }, additionalProperties: false },
              },
              msteams: { type: 'object', properties: { width: { const: 'Full' } }, additionalProperties: false },
            },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
}

export const discordSchema = {
  type: 'object',
  anyOf: [{ required: ['content'] }, { required: ['embeds'] }],
  properties: {
    content: str(2000, 0),
    allowed_mentions: { type: 'object', properties: { parse: { type: 'array', items: { enum: ['roles', 'users', 'everyone'] } } }, additionalProperties: false },
    embeds: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        properties: {
          title: str(256),
          description: str(4096),
          url: { type: 'string' },
          color: { type: 'integer', minimum: 0, maximum: 0xffffff },
          timestamp: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$' },
          fields: {
            type: 'array',
            maxItems: 25,
            items: { type: 'object', required: ['name', 'value'], properties: { name: str(256), value: str(1024), inline: { type: 'boolean' } }, additionalProperties: false },
          },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
}

const reason = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' }, metric: { type: 'string' }, observed: { type: 'number' }, bound: { type: 'number' } },
  additionalProperties: false,
}

export const webhookSchema = {
  type: 'object',
  required: ['schema', 'version', 'title', 'text', 'severity', 'rollout', 'namespace', 'revision', 'phase', 'action', 'weight', 'failedChecks', 'events', 'reasons', 'time', 'url'],
  properties: {
    schema: { const: 'rollout-kernel/notification' },
    version: { const: 1 },
    title: { type: 'string' },
    text: { type: 'string' },
    severity: { enum: ['info', 'warn', 'error'] },
    rollout: { type: 'string' },
    namespace: { type: ['string', 'null'] },
    revision: { type: ['string', 'null'] },
    phase: { type: 'string' },
    action: { type: 'string' },
    weight: { type: 'number', minimum: 0, maximum: 100 },
    failedChecks: { type: 'integer', minimum: 0 },
    events: { type: 'array', items: { type: 'object', required: ['type', 'severity', 'message'], properties: { type: { type: 'string' }, severity: { type: 'string' }, message: { type: 'string' } }, additionalProperties: false } },
    reasons: { type: 'array', items: reason },
    time: { type: 'string' },
    url: { type: ['string', 'null'] },
  },
  additionalProperties: false,
}
