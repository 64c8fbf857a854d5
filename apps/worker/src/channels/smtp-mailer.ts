import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { Mailer, OutgoingMail, PermanentDeliveryError } from '@app/application';
import { APP_CONFIG, AppConfig } from '@app/config';

/** E-mail over SMTP (SMTP_URL). Without SMTP_URL the channel is off and no e-mail deliveries are created. */
@Injectable()
export class SmtpMailer extends Mailer implements OnApplicationShutdown {
  readonly enabled: boolean;
  private readonly transport: Transporter | null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    this.enabled = config.smtpUrl !== null;
    this.transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (!this.transport) throw new PermanentDeliveryError('e-mail is not configured (SMTP_URL)');
    try {
      await this.transport.sendMail({ from: this.config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId, headers: mail.headers });
    } catch (error) {
      // 5xx: the server refuses this message for good (unknown mailbox...); anything else may pass on a retry.
      const code = (error as { responseCode?: number }).responseCode;
      if (typeof code === 'number' && code >= 500) throw new PermanentDeliveryError(`SMTP ${code}: ${(error as Error).message}`);
      throw error;
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
