import { ApiError } from '@novacron/api';
import nodemailer from 'nodemailer';
import type { SettingsService } from '../settings/settings.service';

/** One email. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends email through the SMTP server named in the settings (read at each send, so changes apply at once). */
export class Mailer {
  constructor(private readonly settings: SettingsService) {}

  /** Sends; SMTP failures become SMTP_FAILED (the caller decides whether the user may see it). */
  async send(mail: Mail): Promise<void> {
    const { smtp } = await this.settings.internal();
    if (!smtp.host) throw new ApiError('SMTP_FAILED', 'SMTP is not configured (settings.smtp.host is empty)');
    const transport = nodemailer.createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      tls: { rejectUnauthorized: smtp.secure },
    });
    try {
      await transport.sendMail({ from: smtp.from, to: mail.to, subject: mail.subject, text: mail.text });
    } catch (err) {
      throw new ApiError('SMTP_FAILED', `SMTP delivery failed: ${(err as Error).message}`);
    } finally {
      transport.close();
    }
  }
}
