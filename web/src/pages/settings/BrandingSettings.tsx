import { Alert, Button, ColorInput, FileButton, Group, Image, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { uploadLogo } from '../../api/settings';
import type { Settings } from '../../api/types';
import { toast } from '../../components/Toasts';
import { SettingsForm } from './SettingsForm';

export function BrandingSettings({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const [preview, setPreview] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const upload = async (file: File | null) => {
    if (!file) return;
    setError(null);
    if (!['image/png', 'image/jpeg'].includes(file.type)) return setError('The logo must be a PNG or JPEG image.');
    if (file.size > 512 * 1024) return setError('The logo must be at most 512 KB.');
    setUploading(true);
    try {
      await uploadLogo(file);
      setPreview(URL.createObjectURL(file));
      toast('Logo uploaded');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setUploading(false);
    }
  };

  return (
    <Stack>
      <SettingsForm
        settings={settings}
        canEdit={canEdit}
        fields={['branding']}
        initial={(s) => ({ accent_color: s.branding.accent_color ?? '', footer: s.branding.footer ?? '' })}
        toPatch={(f) => ({ branding: { accent_color: f.accent_color || null, footer: f.footer.trim() || null } })}
      >
        {(f, set, err) => (
          <Stack>
            <ColorInput
              label="Accent color"
              description="Used on PDFs and the customer's invoice page"
              format="hex"
              value={f.accent_color}
              onChange={(v) => set('accent_color', v)}
              error={err('branding.accent_color')}
              maw={260}
            />
            <Textarea
              label="Document footer"
              autosize
              minRows={2}
              value={f.footer}
              onChange={(e) => set('footer', e.currentTarget.value)}
              error={err('branding.footer')}
            />
          </Stack>
        )}
      </SettingsForm>
      <Paper withBorder p="md">
        <Stack gap="xs">
          <Text fw={600}>Logo</Text>
          <Text size="sm" c="dimmed">
            PNG or JPEG, at most 512 KB; shown at the top of invoices.
          </Text>
          {error ? <Alert color="red">{error}</Alert> : null}
          {preview ? <Image src={preview} alt="Logo" h={64} w="auto" fit="contain" /> : null}
          {canEdit ? (
            <Group>
              <FileButton onChange={upload} accept="image/png,image/jpeg">
                {(props) => (
                  <Button variant="light" loading={uploading} {...props}>
                    Upload logo
                  </Button>
                )}
              </FileButton>
            </Group>
          ) : null}
        </Stack>
      </Paper>
    </Stack>
  );
}
