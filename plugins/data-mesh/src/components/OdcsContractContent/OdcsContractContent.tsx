import { Content } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import { OdcsDefinitionView } from '../OdcsDefinitionView';

/** The Contract tab of an `odcs` API entity. */
export function OdcsContractContent() {
  const { entity } = useEntity();
  return (
    <Content noPadding>
      <Card>
        <CardContent>
          <OdcsDefinitionView definition={entity.spec?.definition} />
        </CardContent>
      </Card>
    </Content>
  );
}
