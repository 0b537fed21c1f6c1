import { useState } from 'react';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { dataMeshApiRef, QualityAlertPreferences } from '../../api';
import { errorMessage } from '../Agreements/format';

/**
 * The signed-in user's choice between a notification for each health change of the products they
 * own or use, and one digest a day. It is the user's, not this product's.
 */
export function AlertPreferenceSwitch() {
  const api = useApi(dataMeshApiRef);
  const loaded = useAsync(() => api.getQualityAlertPreferences(), [api]);
  const [saved, setSaved] = useState<QualityAlertPreferences['mode']>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();

  const mode = saved ?? loaded.value?.mode;
  const change = async (digest: boolean) => {
    setSaving(true);
    setSaveError(undefined);
    try {
      const next = await api.setQualityAlertPreferences({
        mode: digest ? 'digest' : 'immediate',
      });
      setSaved(next.mode);
    } catch (e) {
      setSaveError(e);
    } finally {
      setSaving(false);
    }
  };

  let hint: string;
  if (loaded.error) {
    hint = `Your alert preference could not be read: ${errorMessage(
      loaded.error,
    )}`;
  } else if (mode === 'digest') {
    hint = 'You get one summary a day of the health changes of your products.';
  } else if (mode === 'immediate') {
    hint =
      'You get a notification each time a port of your products changes health.';
  } else {
    hint = 'Reading your alert preference…';
  }

  return (
    <Box>
      <FormControlLabel
        control={
          <Switch
            color="primary"
            checked={mode === 'digest'}
            disabled={!mode || saving}
            onChange={event => change(event.target.checked)}
          />
        }
        label="Daily digest instead of each change"
      />
      <Typography variant="caption" color="textSecondary" component="div">
        {hint}
      </Typography>
      {saveError !== undefined && (
        <Typography
          variant="caption"
          color="error"
          component="div"
          role="alert"
        >
          Could not save your alert preference: {errorMessage(saveError)}
        </Typography>
      )}
    </Box>
  );
}
