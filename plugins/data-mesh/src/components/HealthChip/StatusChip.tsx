import { ComponentType, ReactElement } from 'react';
import Chip from '@material-ui/core/Chip';
import { SvgIconProps } from '@material-ui/core/SvgIcon';

/**
 * A status as an outlined chip: the colour is on the border and the icon, the text stays in the
 * theme's text colour so it reads on light and dark themes. Colour is never the only cue: the
 * icon and the text say it too, and `ariaLabel` says what the status is of.
 */
export function StatusChip(props: {
  color: string;
  icon: ReactElement;
  label: string;
  ariaLabel: string;
  title?: string;
  size?: 'small' | 'medium';
}) {
  const { color, icon, label, ariaLabel, title, size = 'small' } = props;
  return (
    <Chip
      size={size}
      variant="outlined"
      icon={icon}
      label={label}
      aria-label={ariaLabel}
      title={title ?? ariaLabel}
      style={{ borderColor: color, color: 'inherit' }}
    />
  );
}

/** The icon of a StatusChip, in the status colour and hidden from screen readers. */
export function statusIcon(
  Icon: ComponentType<SvgIconProps>,
  color: string,
): ReactElement {
  return <Icon style={{ color }} aria-hidden />;
}
