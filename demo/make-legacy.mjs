// Regenerates demo/site/ar/2026/11/16/bakery-flour-prices.legacy.html: an
// invented Arabic article from the demo site's old archive CMS, stored as
// windows-1256 bytes with NO charset declaration anywhere (no BOM, no <meta>;
// demo/server.mjs sends `*.legacy.html` as bare `Content-Type: text/html`).
// A reader must detect the encoding from the bytes. Run from the repo root:
//   node demo/make-legacy.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

const html = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html dir="rtl">
<!-- demo site: invented Arabic article from an old table-layout archive CMS; windows-1256 bytes, no encoding declared anywhere (no BOM, no meta, no header) -->
<head>
<title>صدى الواحة - المخابز تطالب بمراجعة سعر الخبز بعد ارتفاع أسعار الطحين</title>
<meta name="description" content="نقابة أصحاب المخابز في وادي النخيل تطالب بمراجعة تسعيرة الخبز بعد ارتفاع أسعار الطحين المستورد 25 في المئة.">
<meta name="keywords" content="الخبز,الطحين,المخابز,الأسعار">
<link rel="canonical" href="{{origin}}/ar/2026/11/16/bakery-flour-prices.legacy.html">
<link rel="stylesheet" type="text/css" href="/assets/site.css">
<script language="javascript" type="text/javascript">
function printPage(){window.print();}
function sendFriend(id){window.open('/send.asp?id='+id,'send','width=500,height=400');}
</script>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">
<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">
<tr>
	<td colspan="3" class="hdr"><a href="/"><img src="/assets/logo.png" width="220" height="60" border="0" alt="صدى الواحة"></a><span class="hdrdate">الاثنين 16 نوفمبر 2026</span></td>
</tr>
<tr>
	<td colspan="3" class="menubar">
		<a href="/" class="mnu">الرئيسية</a> |
		<a href="/ar/section/local.html" class="mnu">محليات</a> |
		<a href="/ar/section/economy.html" class="mnu">اقتصاد</a> |
		<a href="/ar/section/sports.html" class="mnu">رياضة</a> |
		<a href="/ar/section/culture.html" class="mnu">ثقافة وفنون</a> |
		<a href="/ar/section/opinion.html" class="mnu">آراء</a>
	</td>
</tr>
<tr>
	<td width="180" valign="top" class="rcol">
		<table width="100%" border="0" cellspacing="0" cellpadding="3">
			<tr><td class="boxhead">أقسام الموقع</td></tr>
			<tr><td><a href="/ar/section/local.html">محليات</a></td></tr>
			<tr><td><a href="/ar/section/economy.html">اقتصاد</a></td></tr>
			<tr><td><a href="/ar/section/sports.html">رياضة</a></td></tr>
			<tr><td><a href="/ar/section/culture.html">ثقافة وفنون</a></td></tr>
			<tr><td><a href="/archive.asp">الأرشيف</a></td></tr>
		</table>
	</td>
	<td width="600" valign="top" class="ccol">
		<div class="path"><a href="/">الرئيسية</a> &raquo; <a href="/ar/section/economy.html">اقتصاد</a></div>
		<table width="100%" border="0" cellspacing="0" cellpadding="5">
			<tr><td class="ntitle"><h1>المخابز تطالب بمراجعة سعر الخبز بعد ارتفاع أسعار الطحين</h1></td></tr>
			<tr><td class="ninfo">كتب: منصور الرشيدي &nbsp;|&nbsp; الاثنين 16 نوفمبر 2026 - 09:00 ص &nbsp;|&nbsp; عدد القراءات: 2318</td></tr>
			<tr><td class="ntools"><a href="javascript:printPage()">طباعة</a> | <a href="javascript:sendFriend(40311)">أرسل لصديق</a></td></tr>
			<tr><td class="nimg"><img src="/assets/bakery.png" width="400" height="250" border="0" alt=""><br><span class="imgtxt">عامل في أحد مخابز حي السلام</span></td></tr>
			<tr><td class="ntext" id="NewsBody">
				طالبت نقابة أصحاب المخابز في محافظة وادي النخيل بمراجعة التسعيرة الرسمية للخبز، بعد ارتفاع أسعار الطحين المستورد بنحو 25 في المئة منذ بداية الخريف، مؤكدة أن كثيراً من المخابز الصغيرة باتت تعمل بخسارة.<br><br>
				وقال نقيب أصحاب المخابز، سعيد العنزي، إن كلفة إنتاج ربطة الخبز تجاوزت سعر بيعها المحدد منذ أكثر من ثلاث سنوات، مشيراً إلى أن ارتفاع أسعار الغاز وأجور العمال زاد من الأعباء على أصحاب المخابز.<br><br>
				وأضاف العنزي أن خمسة مخابز في الأحياء القديمة أغلقت أبوابها خلال الشهرين الماضيين، محذراً من أن استمرار الوضع الحالي قد يدفع مخابز أخرى إلى تقليص ساعات العمل أو تخفيض وزن الربطة.<br><br>
				من جهتها، قالت مديرية التجارة إنها تدرس مقترحاً لتقديم دعم مباشر للطحين المخصص للخبز العربي بدلاً من رفع السعر على المستهلكين، وإنها ستعقد اجتماعاً مع ممثلي النقابة الأسبوع المقبل لبحث التفاصيل.<br><br>
				وأبدى مواطنون التقتهم «صدى الواحة» أمام أحد المخابز في حي السلام قلقهم من أي زيادة في سعر الخبز، في ظل ارتفاع أسعار معظم السلع الغذائية خلال العام الحالي.
			</td></tr>
			<tr><td class="nshare">شارك الخبر: <a href="https://facebook.example/sharer.php?u=bakery-flour-prices">فيسبوك</a> - <a href="https://x.example/intent/tweet?u=bakery-flour-prices">تويتر</a></td></tr>
		</table>
		<table width="100%" border="0" cellspacing="0" cellpadding="3" class="cbox">
			<tr><td class="boxhead" colspan="2">أضف تعليقك</td></tr>
			<form method="post" action="/addcomment.asp">
			<tr><td>الاسم *</td><td><input type="text" name="cname" size="30"></td></tr>
			<tr><td>البريد الإلكتروني *</td><td><input type="text" name="cmail" size="30"></td></tr>
			<tr><td>التعليق *</td><td><textarea name="ctext" rows="4" cols="40"></textarea></td></tr>
			<tr><td colspan="2"><input type="submit" value="إرسال التعليق"> <span class="note">لن يتم نشر عنوان بريدك الإلكتروني. التعليقات تخضع للمراجعة قبل النشر.</span></td></tr>
			</form>
		</table>
		<table width="100%" border="0" cellspacing="0" cellpadding="3" class="morebox">
			<tr><td class="boxhead">أخبار أخرى من القسم</td></tr>
			<tr><td><a href="/ar/2026/11/18/date-harvest-exports.html">صادرات التمور ترتفع 18% مع انطلاق موسم الحصاد في وادي النخيل</a></td></tr>
			<tr><td><a href="/ar/section/economy.html">المزيد من أخبار الاقتصاد</a></td></tr>
		</table>
	</td>
	<td width="200" valign="top" class="lcol">
		<table width="100%" border="0" cellspacing="0" cellpadding="3">
			<tr><td class="boxhead">الأكثر قراءة</td></tr>
			<tr><td><a href="/ar/2026/11/19/desalination-plant-expansion.html">توسعة محطة تحلية الريحانة تضاعف إنتاج المياه قبل صيف 2027</a></td></tr>
			<tr><td><a href="/ar/2026/11/17/coastal-derby-draw.html">تعادل مثير يحسم ديربي الساحل بين النجم والشروق</a></td></tr>
			<tr><td class="boxhead">استطلاع</td></tr>
			<tr><td>هل تشتري الخبز من المخبز يومياً؟<br><input type="radio" name="v" value="1"> نعم<br><input type="radio" name="v" value="2"> لا<br><input type="button" value="تصويت"></td></tr>
		</table>
	</td>
</tr>
<tr>
	<td colspan="3" class="ftr">
		<a href="/about.html">من نحن</a> | <a href="/contact.html">اتصل بنا</a> | <a href="/privacy.html">سياسة الخصوصية</a><br>
		جميع الحقوق محفوظة © 2026 صدى الواحة. موقع تجريبي، كل الأخبار فيه متخيلة.<br>
		<a href="#top">زر الذهاب إلى الأعلى</a>
	</td>
</tr>
</table>
</body>
</html>
`;

if (/charset/i.test(html)) throw new Error('the legacy page must not declare a charset');
const bytes = iconv.encode(html, 'windows-1256');
if (iconv.decode(bytes, 'windows-1256') !== html) {
  throw new Error('text has characters that windows-1256 cannot encode');
}
const out = fileURLToPath(new URL('./site/ar/2026/11/16/bakery-flour-prices.legacy.html', import.meta.url));
writeFileSync(out, bytes);
console.log(`wrote ${out} (${bytes.length} bytes, windows-1256, no charset declared)`);
