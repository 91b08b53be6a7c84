import { and, eq, gt, isNull } from 'drizzle-orm';
import { enqueueEmail } from '../email/outbox-store';
import { messageDomain } from '../email/service';
import { setPasswordIn } from '../organizations/service';
import type { Actor, Site } from '../platform/context';
import { unprocessable } from '../platform/errors';
import { recordEvent } from '../platform/events';
import { escapeHtml } from '../platform/html';
import { newId } from '../platform/ids';
import { hashPassword, newToken, sha256 } from '../platform/secrets';
import { users } from '../platform/tables';
import { passwordResets } from './tables';

const RESET_MS = 60 * 60 * 1000;

export interface MailSetup {
  smtpConfigured: boolean;
  publicUrl: string;
}

/**
 * Mails a single-use link (valid one hour) to every active user with this email, one per organization; says nothing
 * about whether the email exists (the route always answers 202).
 */
export async function requestPasswordReset(
  { db, clock }: Pick<Site, 'db' | 'clock'>,
  mail: MailSetup,
  email: string,
): Promise<void> {
  const found = await db
    .select()
    .from(users)
    .where(and(eq(users.email, email.toLowerCase()), eq(users.active, true)));
  for (const user of found) {
    const token = newToken(32);
    const now = clock.now();
    const link = `${mail.publicUrl.replace(/\/$/, '')}/reset-password?token=${token}`;
    await db.transaction(async (tx) => {
      await tx.insert(passwordResets).values({
        id: newId('pwr'),
        orgId: user.orgId,
        userId: user.id,
        tokenHash: sha256(token),
        expiresAt: new Date(now.getTime() + RESET_MS),
        createdAt: now,
      });
      const text = `Someone asked to reset the Arbor password of ${user.email}.\n\nChoose a new password within one hour: ${link}\n\nIf it was not you, ignore this mail; the password stays as it is.`;
      await enqueueEmail(
        tx,
        { clock },
        {
          orgId: user.orgId,
          customerId: null,
          invoiceId: null,
          kind: 'password_reset',
          to: [user.email],
          cc: [],
          subject: 'Reset your Arbor password',
          text,
          html: `<p>Someone asked to reset the Arbor password of ${escapeHtml(user.email)}.</p><p><a href="${escapeHtml(link)}">Choose a new password</a> within one hour.</p><p>If it was not you, ignore this mail; the password stays as it is.</p>`,
          attachments: [],
          smtpConfigured: mail.smtpConfigured,
          messageDomain: messageDomain(mail.publicUrl),
        },
      );
      const actor: Actor = { type: 'public', id: null };
      await recordEvent(tx, { orgId: user.orgId, actor, clock }, 'user.password_reset_requested', {
        type: 'user',
        id: user.id,
      });
    });
  }
}

/** Sets the new password with an unused, unexpired token (then used up); every session of the user ends. */
export async function confirmPasswordReset(
  { db, clock }: Pick<Site, 'db' | 'clock'>,
  token: string,
  password: string,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  const now = clock.now();
  await db.transaction(async (tx) => {
    const [reset] = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(
        and(
          eq(passwordResets.tokenHash, sha256(token)),
          isNull(passwordResets.usedAt),
          gt(passwordResets.expiresAt, now),
        ),
      )
      .returning();
    if (!reset)
      throw unprocessable(
        'invalid_reset_token',
        'This reset link is used, expired or wrong; ask for a new one.',
        'token',
      );
    await setPasswordIn(
      tx,
      { orgId: reset.orgId, actor: { type: 'public', id: null }, clock },
      reset.userId,
      passwordHash,
    );
  });
}
