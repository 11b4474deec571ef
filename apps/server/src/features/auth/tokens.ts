import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { z } from 'zod';
import { AppError } from '@recon/shared';
import { randomToken } from '../../lib/crypto';

const ISSUER = 'recon';
const AUDIENCE = 'recon-api';

const claimsSchema = z.object({ sub: z.uuid(), sid: z.uuid() });

/** Verified access-token claims: the user and the session (refresh-token family) it belongs to. */
export interface AccessClaims {
  readonly userId: string;
  readonly sessionId: string;
}

/** Signs and verifies short-lived HS256 access tokens. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(userId: string, sessionId: string): Promise<string> {
    return new SignJWT({ sid: sessionId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setJti(randomToken(12))
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key);
  }

  /** Throws INVALID_TOKEN for anything but a valid, unexpired token of ours. */
  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
      });
      const claims = claimsSchema.parse(payload);
      return { userId: claims.sub, sessionId: claims.sid };
    } catch (error) {
      const detail = error instanceof joseErrors.JWTExpired ? 'The access token has expired' : undefined;
      throw new AppError('INVALID_TOKEN', detail);
    }
  }
}
