import { render, screen } from '@testing-library/react';
import { HealthStatus } from '@backstage-data-mesh/plugin-data-mesh-common';
import { HealthChip } from './HealthChip';
import { HEALTH_COLORS } from './healthStatus';

describe('HealthChip', () => {
  it.each([
    ['healthy', 'Healthy'],
    ['degraded', 'Degraded'],
    ['failing', 'Failing'],
    ['unknown', 'Unknown'],
  ] as Array<[HealthStatus, string]>)(
    'says %s in words, with an icon and the colour of the status',
    (status, words) => {
      const { container } = render(<HealthChip status={status} />);
      const chip = screen.getByLabelText(`Health: ${status}`);
      expect(chip).toHaveTextContent(words);
      // Colour is never the only cue, but it is the same everywhere (graph, card, list).
      expect(chip).toHaveStyle({ borderColor: HEALTH_COLORS[status] });
      const icon = container.querySelector('svg');
      expect(icon).toHaveAttribute('aria-hidden', 'true');
      expect(icon).toHaveStyle({ color: HEALTH_COLORS[status] });
    },
  );

  it('names what the health is of', () => {
    render(<HealthChip status="failing" subject="positions" />);
    expect(
      screen.getByLabelText('Health of positions: failing'),
    ).toHaveTextContent('Failing');
  });

  it('shows a missing or unknown status as unknown', () => {
    render(
      <>
        <HealthChip />
        <HealthChip status={'on-fire' as HealthStatus} subject="orders" />
      </>,
    );
    expect(screen.getByLabelText('Health: unknown')).toHaveTextContent(
      'Unknown',
    );
    expect(
      screen.getByLabelText('Health of orders: unknown'),
    ).toHaveTextContent('Unknown');
  });
});
