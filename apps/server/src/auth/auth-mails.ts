import type { Mail } from '../mail/mailer';

function link(publicUrl: string, page: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/${page}?token=${encodeURIComponent(token)}`;
}

/** The password-reset email: a link to the web app's reset page, valid 30 minutes. */
export function resetPasswordMail(to: string, publicUrl: string, token: string): Mail {
  return {
    to,
    subject: 'Reset your NovaCron password',
    text: [
      'Someone (hopefully you) asked to reset the password of this NovaCron account.',
      '',
      `Set a new password here (the link works once, for 30 minutes):`,
      link(publicUrl, 'reset-password', token),
      '',
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ].join('\n'),
  };
}

/** The email-verification email. */
export function verifyEmailMail(to: string, publicUrl: string, token: string): Mail {
  return {
    to,
    subject: 'Verify your NovaCron email address',
    text: ['Confirm that this address belongs to your NovaCron account:', link(publicUrl, 'verify-email', token), '', 'The link works once, for 48 hours.'].join('\n'),
  };
}
