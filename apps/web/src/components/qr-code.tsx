import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/**
 * A QR code of `text` (an otpauth:// URI) for an authenticator app to scan: drawn as SVG by the
 * `qrcode` library in the browser (nothing leaves the page), shown as an image with a text alternative.
 */
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then(
      (svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`),
      () => live && setSrc(null),
    );
    return () => {
      live = false;
    };
  }, [text]);
  return src ? <img className="qr-code" src={src} width={size} height={size} alt={label} /> : null;
}
