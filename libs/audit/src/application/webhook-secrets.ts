import { Injectable } from '@nestjs/common';
import { TokenService } from '@salesline/core';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** Webhook signing secrets are kept in the log encrypted (AES-256-GCM) with a key derived from TOKEN_SECRET. */
@Injectable()
export class WebhookSecrets {
  private readonly key: Buffer;

  constructor(tokens: TokenService) {
    this.key = tokens.derivedKey('webhook-secrets');
  }

  encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(encrypted: string): string {
    const [version, iv, tag, body] = encrypted.split('.');
    if (version !== 'v1') throw new Error('unknown webhook secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
